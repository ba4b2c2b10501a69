// ObjectStore over an S3-compatible API with aws4fetch, path-style URLs
// `${endpoint}/${bucket}/${key}` (local stack; any S3 endpoint works).
import { AwsClient } from 'aws4fetch';
import type { ObjectStoreConfig } from '../env.ts';
import type { ObjectStore, StoredObject } from './object-store.ts';

type S3Config = Extract<ObjectStoreConfig, { kind: 's3' }>;

export function createS3Store(config: S3Config): ObjectStore {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    service: 's3',
    region: config.region,
    // aws4fetch retries 5xx ten times by default; a request-scoped client
    // should fail fast and let the caller decide.
    retries: 1,
  });
  const bucketUrl = `${config.endpoint}/${encodeURIComponent(config.bucket)}`;
  const url = (key: string) => `${bucketUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;

  async function send(method: string, key: string, init: RequestInit = {}): Promise<Response> {
    return client.fetch(url(key), { ...init, method });
  }

  return {
    async get(key, opts) {
      const headers: Record<string, string> = {};
      const r = opts?.range;
      if (r) headers.Range = `bytes=${r.offset}-${r.length === undefined ? '' : r.offset + r.length - 1}`;
      const res = await send('GET', key, { headers });
      if (res.status === 404) return discard(res, null);
      if (!res.ok || !res.body) throw await s3Error('GET', key, res);
      const described = describe(key, res);
      if (res.status !== 206) return { ...described, body: res.body };
      const m = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('Content-Range') ?? '');
      const offset = Number(m?.[1] ?? 0);
      const end = Number(m?.[2] ?? 0);
      const total = m?.[3] && m[3] !== '*' ? Number(m[3]) : described.size;
      return { ...described, size: total, body: res.body, range: { offset, length: end - offset + 1 } };
    },
    async head(key) {
      const res = await send('HEAD', key);
      if (res.status === 404) return null;
      if (!res.ok) throw await s3Error('HEAD', key, res);
      return describe(key, res);
    },
    async put(key, body, opts) {
      const headers: Record<string, string> = {};
      if (opts?.contentType) headers['Content-Type'] = opts.contentType;
      const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      const res = await send('PUT', key, { headers, body: payload as BodyInit });
      if (!res.ok) throw await s3Error('PUT', key, res);
      await res.body?.cancel();
      const size = payload instanceof Blob ? payload.size : ArrayBuffer.isView(payload) || payload instanceof ArrayBuffer ? payload.byteLength : -1;
      const stored: StoredObject = { key, size, etag: res.headers.get('ETag') ?? '', contentType: opts?.contentType };
      // A streamed body has no known size: ask the store.
      return size >= 0 ? stored : ((await this.head(key)) ?? stored);
    },
    async delete(key) {
      const res = await send('DELETE', key);
      if (!res.ok && res.status !== 404) throw await s3Error('DELETE', key, res);
      await res.body?.cancel();
    },
    async ping() {
      // HeadBucket: 200 when the bucket exists and the credentials are accepted.
      const res = await client.fetch(bucketUrl, { method: 'HEAD' });
      if (!res.ok) throw new Error(`S3 HeadBucket ${config.bucket} answered ${res.status}`);
    },
  };
}

function describe(key: string, res: Response): StoredObject {
  return {
    key,
    size: Number(res.headers.get('Content-Length') ?? 0),
    etag: res.headers.get('ETag') ?? '',
    contentType: res.headers.get('Content-Type') ?? undefined,
  };
}

async function discard<T>(res: Response, value: T): Promise<T> {
  await res.body?.cancel();
  return value;
}

async function s3Error(method: string, key: string, res: Response): Promise<Error> {
  // S3 error bodies are small XML documents; the <Code> is what matters.
  const text = await res.text().catch(() => '');
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? 'unknown';
  return new Error(`S3 ${method} ${key} answered ${res.status} (${code})`);
}
