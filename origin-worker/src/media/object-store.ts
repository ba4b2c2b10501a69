// The media bucket (R2 in production, s3rver locally) through the S3 API.
// Uploads of large files go through lib-storage's multipart Upload; segments
// and manifests are small single PUTs. Errors from here are transient as far as
// the job is concerned (network, throttling, a store restart) and are rethrown
// for pg-boss's retry, except a missing source object.
import { createWriteStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

export interface S3Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

export interface StoredObject {
  key: string;
  size: number;
  etag: string;
}

export interface PutOptions {
  contentType: string;
  cacheControl: string;
  signal?: AbortSignal;
}

/** The object the job was asked to read does not exist. */
export class MissingObjectError extends Error {
  readonly key: string;
  constructor(key: string, options?: ErrorOptions) {
    super(`object ${key} does not exist`, options);
    this.name = 'MissingObjectError';
    this.key = key;
  }
}

/** Above this, a file goes up in 16 MiB parts, 4 at a time. */
const MULTIPART_THRESHOLD = 32 * 1024 * 1024;

export class MediaStore {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // R2 and s3rver both want path-style addressing.
      forcePathStyle: true,
      maxAttempts: 3,
    });
  }

  async download(key: string, file: string, signal?: AbortSignal): Promise<void> {
    let body: Readable;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      body = res.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw new MissingObjectError(key, { cause: err });
      throw err;
    }
    await pipeline(body, createWriteStream(file), { signal });
  }

  async getText(key: string, signal?: AbortSignal): Promise<string> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
      return await res.Body!.transformToString('utf8');
    } catch (err) {
      if (isNotFound(err)) throw new MissingObjectError(key, { cause: err });
      throw err;
    }
  }

  async uploadFile(key: string, file: string, opts: PutOptions): Promise<void> {
    const { size } = await stat(file);
    const common = { Bucket: this.bucket, Key: key, ContentType: opts.contentType, CacheControl: opts.cacheControl };
    if (size <= MULTIPART_THRESHOLD) {
      await this.client.send(new PutObjectCommand({ ...common, Body: await readFile(file) }), { abortSignal: opts.signal });
      return;
    }
    const upload = new Upload({ client: this.client, params: { ...common, Body: createReadStream(file) }, partSize: 16 * 1024 * 1024, queueSize: 4 });
    const onAbort = () => void upload.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  async putBody(key: string, body: string | Uint8Array, opts: PutOptions): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: opts.contentType, CacheControl: opts.cacheControl }), { abortSignal: opts.signal });
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0, etag: (o.ETag ?? '').replace(/"/g, '') });
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  destroy(): void {
    this.client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export function contentTypeOf(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return (
    { m3u8: 'application/vnd.apple.mpegurl', mpd: 'application/dash+xml', m4s: 'video/iso.segment', mp4: 'video/mp4', vtt: 'text/vtt; charset=utf-8', jpg: 'image/jpeg' } as Record<string, string>
  )[ext] ?? 'application/octet-stream';
}
