// /media delivery: tokens in the path, tier-filtered manifests, ranges,
// content types, CORS and Referrer-Policy, and one shared cache entry per
// object whatever the token.
import { describe, expect, it } from 'vitest';
import { filterDashMpd, filterHlsMaster } from '../src/services/playback/manifest-filter.ts';
import { parseRange } from '../src/services/playback/deliver-media.ts';
import { call, expectEnvelope } from './helpers.ts';
import { MASTER, MPD, mediaToken, storeAsset } from './media-helpers.ts';

const get = (path: string, headers: Record<string, string> = {}) => call(path, { headers });

describe('media delivery', () => {
  it('serves the master, playlists and segments of the token’s asset with the right types', async () => {
    const a = await storeAsset();
    const token = await mediaToken({ assetId: a.assetId });
    const master = await get(`/media/${token}/${a.assetId}/master.m3u8`, { Origin: 'https://player.example' });
    expect(master.status).toBe(200);
    expect(master.headers.get('Content-Type')).toBe('application/vnd.apple.mpegurl');
    expect(master.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(master.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(await master.text()).toContain('video/1080p/playlist.m3u8');

    const playlist = await get(`/media/${token}/${a.assetId}/video/720p/playlist.m3u8`);
    expect(playlist.status).toBe(200);
    const segment = await get(`/media/${token}/${a.assetId}/video/720p/seg-00001.m4s`);
    expect(segment.headers.get('Content-Type')).toBe('video/iso.segment');
    expect(segment.headers.get('Cache-Control')).toBe('private, max-age=31536000, immutable');
    expect(new Uint8Array(await segment.arrayBuffer())).toEqual(a.segment);
    const mpd = await get(`/media/${token}/${a.assetId}/manifest.mpd`);
    expect(mpd.headers.get('Content-Type')).toBe('application/dash+xml');
    const vtt = await get(`/media/${token}/${a.assetId}/images/storyboard/thumbnails.vtt`);
    expect(vtt.headers.get('Content-Type')).toBe('text/vtt; charset=utf-8');
  });

  it('filters the master playlist and the MPD to the tier’s renditions, and refuses the others', async () => {
    const a = await storeAsset();
    const basic = await mediaToken({ assetId: a.assetId, maxHeight: 720 });
    const master = await (await get(`/media/${basic}/${a.assetId}/master.m3u8`)).text();
    expect(master).not.toContain('1080p');
    expect(master).toContain('video/720p/playlist.m3u8');
    expect(master).toContain('video/360p/playlist.m3u8');
    expect(master).toContain('#EXT-X-MEDIA:TYPE=AUDIO');
    const mpd = await (await get(`/media/${basic}/${a.assetId}/manifest.mpd`)).text();
    expect(mpd).not.toContain('height="1080"');
    expect(mpd).not.toContain('maxHeight="1080"');
    expect(mpd).not.toContain('video/1080p/');
    expect(mpd).toContain('height="720"');
    expect(mpd).toContain('audio/1-fas/init.mp4');
    await expectEnvelope(await get(`/media/${basic}/${a.assetId}/video/1080p/playlist.m3u8`), 403, 'FORBIDDEN');
    await expectEnvelope(await get(`/media/${basic}/${a.assetId}/video/1080p/seg-00001.m4s`), 403, 'FORBIDDEN');
  });

  it('answers ranges with 206, and 416 outside the object', async () => {
    const a = await storeAsset();
    const token = await mediaToken({ assetId: a.assetId });
    const url = `/media/${token}/${a.assetId}/video/360p/seg-00001.m4s`;
    for (const attempt of ['miss', 'hit']) {
      const part = await get(url, { Range: 'bytes=100-199' });
      expect(part.status, attempt).toBe(206);
      expect(part.headers.get('Content-Range')).toBe(`bytes 100-199/${a.segment.byteLength}`);
      expect(new Uint8Array(await part.arrayBuffer())).toEqual(a.segment.slice(100, 200));
    }
    const tail = await get(url, { Range: 'bytes=-10' });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(a.segment.slice(-10));
    const beyond = await get(url, { Range: 'bytes=999999-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('Content-Range')).toBe(`bytes */${a.segment.byteLength}`);
  });

  it('two viewers with different tokens share one cache entry; tiers get their own manifest entry', async () => {
    const a = await storeAsset();
    const first = await mediaToken({ assetId: a.assetId });
    const second = await mediaToken({ assetId: a.assetId });
    expect(first).not.toBe(second);
    const seg = (t: string) => get(`/media/${t}/${a.assetId}/video/360p/seg-00001.m4s`);
    expect((await seg(first)).headers.get('X-Cache')).toBe('MISS');
    const again = await seg(second);
    expect(again.headers.get('X-Cache')).toBe('HIT');
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(a.segment);

    const master = (t: string) => get(`/media/${t}/${a.assetId}/master.m3u8`);
    expect((await master(first)).headers.get('X-Cache')).toBe('MISS');
    expect((await master(second)).headers.get('X-Cache')).toBe('HIT');
    const basic = await master(await mediaToken({ assetId: a.assetId, maxHeight: 480 }));
    expect(basic.headers.get('X-Cache')).toBe('MISS');
    expect(await basic.text()).not.toContain('720p');
  });

  it('caches playlists of a version still being transcoded only briefly', async () => {
    const a = await storeAsset();
    const growing = await get(`/media/${await mediaToken({ assetId: a.assetId, final: false })}/${a.assetId}/video/360p/playlist.m3u8`);
    expect(growing.headers.get('Cache-Control')).toBe('private, max-age=2');
    const b = await storeAsset();
    const final = await get(`/media/${await mediaToken({ assetId: b.assetId })}/${b.assetId}/video/360p/playlist.m3u8`);
    expect(final.headers.get('Cache-Control')).toBe('private, max-age=3600');
  });

  it('answers 404 for a missing object of a valid token, saying nothing more', async () => {
    const a = await storeAsset();
    const body = await expectEnvelope(await get(`/media/${await mediaToken({ assetId: a.assetId })}/${a.assetId}/video/360p/seg-00099.m4s`), 404, 'NOT_FOUND');
    expect(body.error.message).toBe('Not found');
  });
});

describe('manifest filtering and ranges (units)', () => {
  it('keeps the lowest rung when every rung is above the cap', () => {
    expect(filterHlsMaster(MASTER, 240)).toContain('video/360p/playlist.m3u8');
    expect(filterHlsMaster(MASTER, 240)).not.toContain('720p');
    const mpd = filterDashMpd(MPD, 240);
    expect(mpd).toContain('height="360"');
    expect(mpd).not.toContain('height="720"');
  });

  it('treats a portrait rung by its short side', () => {
    const portrait = MASTER.replace('RESOLUTION=1920x1080', 'RESOLUTION=1080x1920');
    expect(filterHlsMaster(portrait, 1080)).toContain('video/1080p/playlist.m3u8');
  });

  it('parses single byte ranges and ignores what it cannot serve', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=0-1,4-5', 10)).toBeUndefined();
    expect(parseRange('items=0-1', 10)).toBeUndefined();
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-4', 10)).toBe('unsatisfiable');
  });
});
