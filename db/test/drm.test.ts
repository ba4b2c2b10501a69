// Content keys at rest: wrapped under a KEK with the asset, version and key id
// bound in; a version keeps its first key across retries.
import { describe, expect, it } from 'vitest';
import { keyIdBytes, newContentKey, unwrapContentKey, wrapContentKey, type Kek } from '../drm/content-keys.ts';
import { ensureVersionKey, getVersionKey } from '../sql/drm.ts';
import { run, useTempDatabase } from './helpers/databases.ts';

const kek = (id: string): Kek => ({ id, key: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))) });
const t = useTempDatabase();

describe('content keys', () => {
  it('round-trips under the current KEK, and still unwraps after a rotation', async () => {
    const [old, next] = [kek('kek-2026-a'), kek('kek-2026-b')];
    const { keyId, key } = newContentKey();
    const ref = { assetId: crypto.randomUUID(), version: 1, keyId };
    const sealed = await wrapContentKey([old], { ...ref, key });
    expect(sealed.kekId).toBe('kek-2026-a');
    expect(Buffer.from(sealed.wrapped).includes(Buffer.from(key))).toBe(false);
    expect(await unwrapContentKey([next, old], { ...ref, ...sealed })).toEqual(key);
    expect(keyIdBytes(keyId)).toHaveLength(16);
  });

  it('refuses a moved or tampered key, and an unknown KEK', async () => {
    const k = kek('kek-a');
    const { keyId, key } = newContentKey();
    const ref = { assetId: crypto.randomUUID(), version: 1, keyId };
    const sealed = await wrapContentKey([k], { ...ref, key });
    await expect(unwrapContentKey([k], { ...ref, version: 2, ...sealed })).rejects.toThrow();
    const flipped = sealed.wrapped.slice();
    flipped[20] = flipped[20]! ^ 1;
    await expect(unwrapContentKey([k], { ...ref, kekId: sealed.kekId, wrapped: flipped })).rejects.toThrow();
    await expect(unwrapContentKey([kek('other')], { ...ref, ...sealed })).rejects.toThrow(/unknown DRM KEK/);
  });

  it('stores a version’s key once: a retry gets the first key back', async () => {
    const assetId = crypto.randomUUID();
    const { rows: [c] } = await t.client.query(`INSERT INTO content (type, original_language) VALUES ('movie', 'fa') RETURNING id`);
    await t.client.query(`INSERT INTO video_assets (id, movie_id, status, source_key, drm_protected) VALUES ($1, $2, 'queued', 'uploads/x', true)`, [assetId, c.id]);
    await t.client.query(`INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix) VALUES ($1, 1, 'uploads/x', $2)`, [assetId, `assets/${assetId}/v1/`]);
    const first = { assetId, version: 1, keyId: crypto.randomUUID(), kekId: 'k1', wrappedHex: 'aa'.repeat(44) };
    const second = { ...first, keyId: crypto.randomUUID(), wrappedHex: 'bb'.repeat(44) };
    expect(await run(t.client, ensureVersionKey(first))).toEqual([{ keyId: first.keyId, kekId: 'k1', wrappedHex: first.wrappedHex }]);
    expect(await run(t.client, ensureVersionKey(second))).toEqual([{ keyId: first.keyId, kekId: 'k1', wrappedHex: first.wrappedHex }]);
    expect(await run(t.client, getVersionKey(assetId, 1))).toHaveLength(1);
    expect(await run(t.client, getVersionKey(assetId, 2))).toEqual([]);
  });
});
