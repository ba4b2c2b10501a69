// Keys for DRM-protected playback (issue 6), only to a valid media token of
// that asset version:
//   GET  /media/{token}/{assetId}/keys/hls            the raw 16-byte key (HLS
//        SAMPLE-AES key delivery; the playlists' key URI is relative, so it
//        carries the token like every segment URI)
//   POST /media/{token}/{assetId}/license/clearkey    a W3C Clear Key license
//        (EME): { kids: [...] } -> { keys: [{ kty: "oct", kid, k }] }
// Anything else (no key material, a kid of another asset) is the same bare
// 403/404 as the rest of /media. Keys are never cached or logged.
import type { Context } from 'hono';
import { keyIdBytes, unwrapContentKey } from '../../../../db/drm/content-keys.ts';
import { getVersionKey } from '../../../../db/sql/drm.ts';
import { usable } from '../../env.ts';
import { licenseProvider, type DrmSystem } from '../../lib/drm/provider.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { mediaForbidden, requireMediaToken } from '../../middleware/media-token.ts';
import type { AppEnv } from '../../types.ts';

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));

async function contentKeyOf(c: Context<AppEnv>): Promise<{ keyId: string; key: Uint8Array }> {
  const grant = c.get('mediaGrant')!;
  const [row] = await c.get('services').db.run(getVersionKey(grant.assetId, grant.version));
  if (!row) throw new ApiError('NOT_FOUND', 'Not found');
  const key = await unwrapContentKey(usable(c.get('config').drm).keks, { assetId: grant.assetId, version: grant.version, keyId: row.keyId, kekId: row.kekId, wrapped: fromHex(row.wrappedHex) });
  return { keyId: row.keyId, key };
}

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

export function registerMediaKeys(router: Router): void {
  router.get('/media/:token/:assetId/keys/hls', requireMediaToken(), async (c) => {
    const { key } = await contentKeyOf(c);
    return c.body(key.slice().buffer as ArrayBuffer, 200, { ...NO_STORE, 'Content-Type': 'application/octet-stream' });
  });
  router.post('/media/:token/:assetId/license/clearkey', requireMediaToken(), async (c) => {
    let request: unknown;
    try {
      request = await c.req.json();
    } catch {
      throw new ApiError('BAD_REQUEST', 'A Clear Key license request is JSON: { "kids": [...], "type": "temporary" }');
    }
    const kids = (request as { kids?: unknown }).kids;
    if (!Array.isArray(kids) || kids.length === 0 || kids.length > 16 || !kids.every((k) => typeof k === 'string' && /^[A-Za-z0-9_-]{22}$/.test(k))) {
      throw new ApiError('BAD_REQUEST', 'kids must be a list of base64url key ids');
    }
    const { keyId, key } = await contentKeyOf(c);
    const kid = b64url(keyIdBytes(keyId));
    // Only this version's key, and only when asked for by its id.
    if (!kids.includes(kid)) throw mediaForbidden();
    return c.json({ keys: [{ kty: 'oct', kid, k: b64url(key) }], type: 'temporary' }, 200, NO_STORE);
  });
  // Widevine, PlayReady, FairPlay: through the multi-DRM vendor (license proxy).
  router.post('/media/:token/:assetId/license/:system{widevine|playready|fairplay}', requireMediaToken(), async (c) => {
    const provider = licenseProvider(usable(c.get('config').drm));
    if (!provider) throw new ApiError('NOT_FOUND', 'Not found');
    const grant = c.get('mediaGrant')!;
    const [row] = await c.get('services').db.run(getVersionKey(grant.assetId, grant.version));
    if (!row) throw new ApiError('NOT_FOUND', 'Not found');
    const challenge = await c.req.arrayBuffer();
    if (challenge.byteLength === 0 || challenge.byteLength > 64 * 1024) throw new ApiError('BAD_REQUEST', 'The body is the license challenge from the CDM');
    const answer = await provider.acquire({ system: c.req.param('system') as DrmSystem, challenge, contentType: c.req.header('Content-Type') ?? 'application/octet-stream', keyIds: [row.keyId] });
    if (!answer.ok) {
      // The vendor's reason stays in our logs; the player gets a plain refusal.
      c.get('logger').warn('DRM vendor refused a license', { status: answer.status, system: c.req.param('system') });
      await answer.body?.cancel();
      throw new ApiError('UNAVAILABLE', 'No license right now');
    }
    return c.body(await answer.arrayBuffer(), 200, { ...NO_STORE, 'Content-Type': answer.headers.get('Content-Type') ?? 'application/octet-stream' });
  });
}
