// /media security: every way a token can be wrong gets the same bare 403,
// and no path reaches outside the token's asset version.
import { describe, expect, it } from 'vitest';
import { call, envWith } from './helpers.ts';
import { mediaToken, playbackSettings, storeAsset } from './media-helpers.ts';

async function expectBare403(res: Response): Promise<void> {
  expect(res.status).toBe(403);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Forbidden' });
}

const now = () => Math.floor(Date.now() / 1000);

describe('media token security', () => {
  it('a token for asset A cannot fetch asset B', async () => {
    const [a, b] = [await storeAsset(), await storeAsset()];
    const forA = await mediaToken({ assetId: a.assetId });
    await expectBare403(await call(`/media/${forA}/${b.assetId}/master.m3u8`));
    expect((await call(`/media/${forA}/${a.assetId}/master.m3u8`)).status).toBe(200);
  });

  it('a token for version 1 reads version 1 only', async () => {
    const a = await storeAsset(2);
    const v1 = await mediaToken({ assetId: a.assetId, version: 1 });
    expect((await call(`/media/${v1}/${a.assetId}/master.m3u8`)).status).toBe(404);
  });

  it('refuses expired, not-yet-valid, tampered and unknown-kid tokens', async () => {
    const a = await storeAsset();
    const url = (t: string) => `/media/${t}/${a.assetId}/master.m3u8`;
    await expectBare403(await call(url(await mediaToken({ assetId: a.assetId, notBefore: now() - 7200, expiresAt: now() - 3600 }))));
    await expectBare403(await call(url(await mediaToken({ assetId: a.assetId, notBefore: now() + 3600, expiresAt: now() + 7200 }))));

    const good = await mediaToken({ assetId: a.assetId });
    const [kid, payload, sig] = good.split('.') as [string, string, string];
    // A payload edited to lift the height cap, with the old signature.
    const lifted = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const forged = btoa(JSON.stringify({ ...lifted, h: 2160 })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    await expectBare403(await call(url(`${kid}.${forged}.${sig}`)));
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'AB' : 'AA');
    await expectBare403(await call(url(`${kid}.${payload}.${flipped}`)));
    await expectBare403(await call(url(`other-kid.${payload}.${sig}`)));
    await expectBare403(await call(url('garbage')));

    // A token signed with a key we do not hold, under our kid.
    const stranger = [{ kid: playbackSettings().tokenKeys[0]!.kid, secret: 'A'.repeat(43) }];
    await expectBare403(await call(url(await mediaToken({ assetId: a.assetId }, stranger))));
  });

  it('accepts a token signed with a second configured key (rotation)', async () => {
    const a = await storeAsset();
    const next = { kid: 'next-key', secret: 'B'.repeat(43) };
    const rotated = JSON.stringify([next, ...playbackSettings().tokenKeys]);
    const bindings = envWith({ MEDIA_TOKEN_KEYS: rotated });
    // Minted with the new first key, verified by an edge that lists both.
    const token = await mediaToken({ assetId: a.assetId }, [next, ...playbackSettings().tokenKeys]);
    expect((await call(`/media/${token}/${a.assetId}/master.m3u8`, undefined, bindings)).status).toBe(200);
    // An old-key token keeps working during the rollout.
    expect((await call(`/media/${await mediaToken({ assetId: a.assetId })}/${a.assetId}/master.m3u8`, undefined, bindings)).status).toBe(200);
    // The edge without the new key refuses it.
    await expectBare403(await call(`/media/${token}/${a.assetId}/master.m3u8`));
  });

  it('a basic-tier token cannot fetch a 1080p rendition', async () => {
    const a = await storeAsset();
    const basic = await mediaToken({ assetId: a.assetId, maxHeight: 480 });
    await expectBare403(await call(`/media/${basic}/${a.assetId}/video/1080p/seg-00001.m4s`));
    await expectBare403(await call(`/media/${basic}/${a.assetId}/video/720p/playlist.m3u8`));
    expect((await call(`/media/${basic}/${a.assetId}/video/360p/seg-00001.m4s`)).status).toBe(200);
  });

  it('no path escapes the asset version: dot segments, encoded slashes and dots, backslashes, sources', async () => {
    const [a, b] = [await storeAsset(), await storeAsset()];
    const token = await mediaToken({ assetId: a.assetId });
    const base = `/media/${token}/${a.assetId}`;
    // Dot segments are resolved by the URL parser before routing: they land on another asset id (403) or outside /media (404).
    expect((await call(`${base}/../${b.assetId}/master.m3u8`)).status).toBe(403);
    expect((await call(`${base}/video/../../../x`)).status).toBe(404);
    for (const sneaky of [
      `${base}/video%2F..%2F..%2F${b.assetId}%2Fv1%2Fmaster.m3u8`,
      `${base}/%2e%2e/%2e%2e/${b.assetId}/v1/master.m3u8`,
      `${base}/video/360p%2Fseg-00001.m4s`,
      `${base}/video%5C..%5Cmaster.m3u8`,
      `${base}/.hidden.m3u8`,
    ]) {
      const res = await call(sneaky);
      expect([403, 404], sneaky).toContain(res.status);
    }
    // Only output files: a source-like name is not served even inside the prefix.
    expect((await call(`${base}/source`)).status).toBe(404);
  });

  it('a broken MEDIA_TOKEN_KEYS fails /media as CONFIG_INVALID naming the variable, never echoing it, and nothing else', async () => {
    const a = await storeAsset();
    const token = await mediaToken({ assetId: a.assetId });
    for (const broken of ['not json', '[]', JSON.stringify([{ kid: 'k', secret: 'short' }])]) {
      const bindings = envWith({ MEDIA_TOKEN_KEYS: broken });
      const res = await call(`/media/${token}/${a.assetId}/master.m3u8`, undefined, bindings);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toContain('CONFIG_INVALID');
      expect(text).toContain('MEDIA_TOKEN_KEYS');
      expect(text).not.toContain(broken === '[]' ? 'no-such-secret' : broken);
      expect((await call('/health', undefined, bindings)).status).toBe(200);
    }
  });
});
