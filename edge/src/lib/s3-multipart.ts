// S3 multipart uploads for editors' source files, with presigned part URLs so
// the bytes go from the browser straight to the bucket, never through the
// Worker. Needs the S3 API (R2's S3-compatible endpoint in production, the
// local s3rver in dev and tests): an R2 binding cannot presign.
import { AwsClient } from 'aws4fetch';
import type { ObjectStoreConfig } from '../env.ts';

type S3Config = Extract<ObjectStoreConfig, { kind: 's3' }>;

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface MultipartStore {
  create(key: string, contentType: string): Promise<string>;
  /** A URL the client PUTs one part's bytes to, valid for `expiresSeconds`. */
  presignPart(key: string, uploadId: string, partNumber: number, expiresSeconds: number): Promise<string>;
  listParts(key: string, uploadId: string): Promise<UploadedPart[]>;
  complete(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  abort(key: string, uploadId: string): Promise<void>;
}

export class MultipartError extends Error {
  readonly status: number;
  readonly s3Code: string | undefined;
  constructor(operation: string, status: number, s3Code: string | undefined) {
    super(`S3 ${operation} answered ${status}${s3Code ? ` ${s3Code}` : ''}`);
    this.name = 'MultipartError';
    this.status = status;
    this.s3Code = s3Code;
  }
}

export function createMultipartStore(config: S3Config): MultipartStore {
  const client = new AwsClient({ accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, service: 's3', region: config.region, retries: 1 });
  const url = (key: string, query: Record<string, string>) => {
    const u = new URL(`${config.endpoint}/${encodeURIComponent(config.bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
  };
  async function call(operation: string, target: string, init: RequestInit): Promise<string> {
    const res = await client.fetch(target, init);
    const text = await res.text();
    if (!res.ok) throw new MultipartError(operation, res.status, tag(text, 'Code'));
    return text;
  }
  return {
    async create(key, contentType) {
      // `?uploads` has no value: aws4fetch signs the empty parameter as S3 expects.
      const xml = await call('CreateMultipartUpload', url(key, { uploads: '' }), { method: 'POST', headers: { 'Content-Type': contentType } });
      const id = tag(xml, 'UploadId');
      if (!id) throw new MultipartError('CreateMultipartUpload', 502, 'NoUploadId');
      return id;
    },
    async presignPart(key, uploadId, partNumber, expiresSeconds) {
      const target = url(key, { partNumber: String(partNumber), uploadId, 'X-Amz-Expires': String(expiresSeconds) });
      const signed = await client.sign(target, { method: 'PUT', aws: { signQuery: true } });
      return signed.url;
    },
    async listParts(key, uploadId) {
      const xml = await call('ListParts', url(key, { uploadId, 'max-parts': '10000' }), { method: 'GET' });
      return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        partNumber: Number(tag(m[1]!, 'PartNumber')),
        etag: tag(m[1]!, 'ETag') ?? '',
        size: Number(tag(m[1]!, 'Size') ?? 0),
      }));
    },
    async complete(key, uploadId, parts) {
      const body = `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
      const xml = await call('CompleteMultipartUpload', url(key, { uploadId }), { method: 'POST', body, headers: { 'Content-Type': 'application/xml' } });
      // S3 may answer 200 with an <Error> body for a failed complete.
      if (/<Error>/.test(xml)) throw new MultipartError('CompleteMultipartUpload', 400, tag(xml, 'Code'));
    },
    async abort(key, uploadId) {
      const res = await client.fetch(url(key, { uploadId }), { method: 'DELETE' });
      await res.body?.cancel();
      if (!res.ok && res.status !== 404) throw new MultipartError('AbortMultipartUpload', res.status, undefined);
    },
  };
}

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&') : undefined;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
