// The per-request clients against the real local stack: the shared Statement
// contract over Neon HTTP, Upstash REST, and one ObjectStore contract run
// against both implementations (S3 via aws4fetch, and the R2 binding that
// Miniflare simulates).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { parseConfig } from '../src/env.ts';
import { createDb } from '../src/lib/db.ts';
import { createObjectStore, type ObjectStore } from '../src/lib/object-store.ts';
import { createRedis } from '../src/lib/redis.ts';

const config = parseConfig(env);
const unique = (name: string) => `${name}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;

function value<T>(dep: { ok: true; value: T } | { ok: false }): T {
  if (!dep.ok) throw new Error('test configuration is invalid');
  return dep.value;
}

describe('createDb', () => {
  const db = createDb(value(config.postgres));

  it('runs a parameterised statement and returns typed rows', async () => {
    const rows = await db.run(sql<{ n: number; title: string }>('SELECT $1::int AS n, $2::text AS title', [7, 'سریال']));
    expect(rows).toEqual([{ n: 7, title: 'سریال' }]);
  });

  it('runs a batch as one transaction: a failing statement rolls back the others', async () => {
    const table = unique('edge_batch');
    await db.run(sql(`CREATE TABLE ${table} (id int PRIMARY KEY)`));
    try {
      await expect(db.batch([sql(`INSERT INTO ${table} VALUES (1)`), sql(`INSERT INTO ${table} VALUES (1)`)])).rejects.toMatchObject({ code: '23505' });
      expect(await db.run(sql(`SELECT count(*)::int AS n FROM ${table}`))).toEqual([{ n: 0 }]);
      const results = await db.batch([sql(`INSERT INTO ${table} VALUES (2) RETURNING id`), sql(`SELECT count(*)::int AS n FROM ${table}`)]);
      expect(results).toEqual([[{ id: 2 }], [{ n: 1 }]]);
    } finally {
      await db.run(sql(`DROP TABLE ${table}`));
    }
  });
});

describe('createRedis', () => {
  it('round-trips JSON with non-ASCII text', async () => {
    const redis = createRedis(value(config.redis));
    const key = unique('edge:redis');
    await redis.set(key, { title: 'شهرزاد' }, { ex: 60 });
    expect(await redis.get(key)).toEqual({ title: 'شهرزاد' });
    await redis.del(key);
  });
});

const stores: [string, () => ObjectStore][] = [
  ['S3 (aws4fetch)', () => createObjectStore(value(config.objectStore))],
  ['R2 binding', () => createObjectStore({ kind: 'r2', bucket: env.MEDIA })],
];

describe.each(stores)('ObjectStore over %s', (_name, make) => {
  it('puts, heads, gets (whole and ranged) and deletes an object', async () => {
    const store = make();
    const key = `test/${unique('obj')}/segment 1.bin`;
    const bytes = new TextEncoder().encode('0123456789abcdef');
    const put = await store.put(key, bytes, { contentType: 'application/octet-stream' });
    expect(put).toMatchObject({ key, size: 16 });

    expect(await store.head(key)).toMatchObject({ key, size: 16, contentType: 'application/octet-stream' });

    const whole = await store.get(key);
    expect(new TextDecoder().decode(await new Response(whole!.body).arrayBuffer())).toBe('0123456789abcdef');
    expect(whole!.range).toBeUndefined();

    const part = await store.get(key, { range: { offset: 4, length: 6 } });
    expect(new TextDecoder().decode(await new Response(part!.body).arrayBuffer())).toBe('456789');
    expect(part).toMatchObject({ size: 16, range: { offset: 4, length: 6 } });

    await store.delete(key);
    expect(await store.head(key)).toBeNull();
    expect(await store.get(key)).toBeNull();
    await store.delete(key); // deleting twice is fine
  });

  it('answers ping', async () => {
    await expect(make().ping()).resolves.toBeUndefined();
  });
});
