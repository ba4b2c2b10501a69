// The demo player's page and scripts are served by the Worker itself (hls.js
// from the bundle), with a CSP that allows nothing but this origin.
import { describe, expect, it } from 'vitest';
import { call } from './helpers.ts';

describe('GET /watch', () => {
  it('serves the page with a same-origin CSP, and the player and hls.js scripts', async () => {
    const page = await call('/watch');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/watch/hls.min.js"></script>');
    expect(html).toContain('<video id="video"');

    const player = await call('/watch/player.js');
    expect(player.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(await player.text()).toContain("fetch(api + path");
    const hls = await call('/watch/hls.min.js');
    const source = await hls.text();
    expect(source.length).toBeGreaterThan(100_000);
    expect(source).toContain('MANIFEST_PARSED');
  });
});
