// DRM key delivery on /media: the HLS key and a W3C Clear Key license, only
// for a valid token of that asset version, from the wrapped key in Postgres.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { keyIdBytes, newContentKey, wrapContentKey } from '../../db/drm/content-keys.ts';
import { sql } from '../../db/sql/statement.ts';
import { parseConfig } from '../src/env.ts';
import { testDb } from './auth-helpers.ts';
import { call, envWith } from './helpers.ts';
import { mediaToken, testStore } from './media-helpers.ts';
import { movie } from './playback-helpers.ts';
import { addClearKeyTags } from '../src/services/playback/deliver-media.ts';

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function protectedAsset(): Promise<{ assetId: string; keyId: string; key: Uint8Array }> {
  const { assetId } = await movie();
  const { keyId, key } = newContentKey();
  const drm = parseConfig(env).drm;
  if (!drm.ok) throw drm.error;
  const sealed = await wrapContentKey(drm.value.keks, { assetId: assetId!, version: 1, keyId, key });
  await testDb().batch([
    sql(`UPDATE video_assets SET drm_protected = true WHERE id = $1`, [assetId]),
    sql(`UPDATE video_asset_versions SET drm_key_id = $2, kek_id = $3, encrypted_content_key = decode($4, 'hex') WHERE asset_id = $1 AND version = 1`, [
      assetId,
      keyId,
      sealed.kekId,
      [...sealed.wrapped].map((b) => b.toString(16).padStart(2, '0')).join(''),
    ]),
  ]);
  return { assetId: assetId!, keyId, key };
}

const license = (token: string, assetId: string, body: unknown) =>
  call(`/media/${token}/${assetId}/license/clearkey`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('DRM key delivery', () => {
  it('serves the HLS key and a Clear Key license to a valid token of that asset, never cached', async () => {
    const a = await protectedAsset();
    const token = await mediaToken({ assetId: a.assetId });
    const hls = await call(`/media/${token}/${a.assetId}/keys/hls`);
    expect(hls.status).toBe(200);
    expect(hls.headers.get('Cache-Control')).toBe('no-store');
    expect(new Uint8Array(await hls.arrayBuffer())).toEqual(a.key);

    const kid = b64url(keyIdBytes(a.keyId));
    const res = await license(token, a.assetId, { kids: [kid], type: 'temporary' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(await res.json()).toEqual({ keys: [{ kty: 'oct', kid, k: b64url(a.key) }], type: 'temporary' });
  });

  it('refuses other assets’ tokens, other key ids, expired tokens, unprotected assets and garbage', async () => {
    const [a, b] = [await protectedAsset(), await protectedAsset()];
    const forB = await mediaToken({ assetId: b.assetId });
    expect((await call(`/media/${forB}/${a.assetId}/keys/hls`)).status).toBe(403);
    const forA = await mediaToken({ assetId: a.assetId });
    expect((await license(forA, a.assetId, { kids: [b64url(keyIdBytes(b.keyId))] })).status).toBe(403);
    const now = Math.floor(Date.now() / 1000);
    const expired = await mediaToken({ assetId: a.assetId, notBefore: now - 7200, expiresAt: now - 3600 });
    expect((await call(`/media/${expired}/${a.assetId}/keys/hls`)).status).toBe(403);
    const clear = await movie();
    expect((await call(`/media/${await mediaToken({ assetId: clear.assetId! })}/${clear.assetId}/keys/hls`)).status).toBe(404);
    expect((await license(forA, a.assetId, { kids: 'nope' })).status).toBe(400);
    const notJson = await call(`/media/${forA}/${a.assetId}/license/clearkey`, { method: 'POST', body: 'x' });
    expect(notJson.status).toBe(400);
  });

  it('serves protected HLS media playlists with the Clear Key key format (key id in a data URI) instead of identity', async () => {
    const a = await protectedAsset();
    const store = testStore();
    const identity = `#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI="../../../keys/hls",KEYFORMAT="identity"\n#EXTINF:2.000,\nseg-00001.m4s\n#EXT-X-ENDLIST\n`;
    await store.put(`assets/${a.assetId}/v1/hls/video/360p/playlist.m3u8`, identity);
    const token = await mediaToken({ assetId: a.assetId });
    const text = await (await call(`/media/${token}/${a.assetId}/hls/video/360p/playlist.m3u8`)).text();
    const kid = btoa(String.fromCharCode(...keyIdBytes(a.keyId)));
    expect(text).toContain(`#EXT-X-KEY:METHOD=SAMPLE-AES,URI="data:text/plain;base64,${kid}",KEYFORMAT="org.w3.clearkey",KEYFORMATVERSIONS="1"`);
    expect(text).not.toContain('KEYFORMAT="identity"');
    expect(addClearKeyTags('#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://x",KEYFORMAT="com.apple.streamingkeydelivery"', a.keyId)).toContain('streamingkeydelivery');
  });

  it('forwards Widevine/PlayReady/FairPlay challenges to the multi-DRM vendor with a signed entitlement, for a valid token only', async () => {
    const a = await protectedAsset();
    const token = await mediaToken({ assetId: a.assetId });
    const challenge = crypto.getRandomValues(new Uint8Array(300));
    const post = (system: string, bindings = env, t = token) => call(`/media/${t}/${a.assetId}/license/${system}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: challenge }, bindings as never);
    for (const system of ['widevine', 'playready', 'fairplay']) {
      const res = await post(system);
      expect(res.status, system).toBe(200);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      // The fake vendor (scripts/stack/fake-drm-vendor.ts) checked the JWT and answers with what it entitled.
      expect(await res.text()).toBe(`LICENSE:${system}:${a.keyId}`);
    }
    const other = await protectedAsset();
    expect((await post('widevine', env, await mediaToken({ assetId: other.assetId }))).status).toBe(403);
    expect((await post('widevine', envWith({ DRM_PROVIDER: 'none' }))).status).toBe(404);
    // A vendor that refuses (wrong communication key) is a plain 503 to the player.
    const refused = await post('widevine', envWith({ AXINOM_COM_KEY: btoa('wrong-key-wrong-key-wrong-key-32') }));
    expect(refused.status).toBe(503);
    const empty = await call(`/media/${token}/${a.assetId}/license/widevine`, { method: 'POST', body: '' });
    expect(empty.status).toBe(400);
  });
});
