// GET /watch (the demo player page), /watch/player.js and /watch/hls.min.js
// (hls.js from the bundle: no third-party CDN, the page's CSP stays 'self').
import hlsScript from 'hls.js/dist/hls.min.js';
import { usable } from '../../env.ts';
import type { Router } from '../../lib/openapi.ts';
import { WATCH_PAGE } from './page.ts';
import { PLAYER_SCRIPT } from './player.ts';

export function registerGetWatch(router: Router): void {
  router.get('/watch', (c) => {
    const mediaBase = c.get('config').playback.ok ? usable(c.get('config').playback).mediaBaseUrl : undefined;
    const media = mediaBase ? ` ${mediaBase}` : '';
    c.header(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'${media}; media-src 'self' blob:${media}; img-src 'self' data:${media}; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'`,
    );
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(WATCH_PAGE);
  });
  router.get('/watch/player.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(PLAYER_SCRIPT);
  });
  router.get('/watch/hls.min.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(hlsScript);
  });
}
