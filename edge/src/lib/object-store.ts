// The media store as the edge needs it. Production uses the R2 binding; the
// local stack (and tests) use an S3-compatible server through aws4fetch,
// because a Miniflare R2 binding cannot reach it. Both implement this.
import type { ObjectStoreConfig } from '../env.ts';
import { createR2Store } from './object-store-r2.ts';
import { createS3Store } from './object-store-s3.ts';

export interface StoredObject {
  key: string;
  /** Size of the whole object, also for a ranged read. */
  size: number;
  etag: string;
  contentType?: string;
}

export interface ObjectBody extends StoredObject {
  body: ReadableStream<Uint8Array>;
  /** The bytes actually returned, when a range was asked for. */
  range?: { offset: number; length: number };
}

export interface ByteRange {
  offset: number;
  /** Omitted: to the end of the object. */
  length?: number;
}

export type ObjectData = ReadableStream<Uint8Array> | ArrayBuffer | ArrayBufferView | string | Blob;

export interface ObjectStore {
  /** null when the key does not exist. */
  get(key: string, opts?: { range?: ByteRange }): Promise<ObjectBody | null>;
  head(key: string): Promise<StoredObject | null>;
  put(key: string, body: ObjectData, opts?: { contentType?: string }): Promise<StoredObject>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Resolves when the bucket is reachable with these credentials; throws otherwise. */
  ping(): Promise<void>;
}

export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  return config.kind === 'r2' ? createR2Store(config.bucket) : createS3Store(config);
}
