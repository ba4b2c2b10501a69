// ObjectStore over the Workers R2 binding (production).
import type { ObjectStore, StoredObject } from './object-store.ts';

export function createR2Store(bucket: R2Bucket): ObjectStore {
  return {
    async get(key, opts) {
      const obj = await bucket.get(key, opts?.range ? { range: opts.range } : undefined);
      if (!obj) return null;
      const out = { ...describe(obj), body: obj.body };
      const range = obj.range as { offset?: number; length?: number } | undefined;
      if (opts?.range && range) {
        const offset = range.offset ?? 0;
        return { ...out, range: { offset, length: range.length ?? obj.size - offset } };
      }
      return out;
    },
    async head(key) {
      const obj = await bucket.head(key);
      return obj ? describe(obj) : null;
    },
    async put(key, body, opts) {
      const obj = await bucket.put(key, body, opts?.contentType ? { httpMetadata: { contentType: opts.contentType } } : undefined);
      if (!obj) throw new Error(`R2 put of ${key} returned no object`);
      return describe(obj);
    },
    async delete(key) {
      await bucket.delete(key);
    },
    async ping() {
      // A list of at most one key proves the binding and the bucket answer.
      await bucket.list({ limit: 1 });
    },
  };
}

function describe(obj: R2Object): StoredObject {
  return { key: obj.key, size: obj.size, etag: obj.httpEtag, contentType: obj.httpMetadata?.contentType };
}
