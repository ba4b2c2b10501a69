// The local S3-compatible store (s3rver) with the media bucket created. R2 is
// reached the same way in production (S3 API) by the origin worker.
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';

// Browsers upload parts straight to the bucket with presigned URLs and read
// the ETag of each part, so CORS must allow PUT and expose ETag.
const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface ObjectStoreHandle {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startObjectStore(opts: { port: number; directory: string; bucket: string }): Promise<ObjectStoreHandle> {
  mkdirSync(opts.directory, { recursive: true });
  const server = new S3rver({
    port: opts.port,
    address: '127.0.0.1',
    directory: opts.directory,
    silent: true,
    configureBuckets: [{ name: opts.bucket, configs: [CORS] }],
  });
  addMultipartListAndAbort(server, opts.directory);
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${opts.port}`,
    stop: async () => {
      const http = (server as unknown as { httpServer?: import('node:http').Server }).httpServer;
      http?.closeAllConnections();
      await server.close();
    },
  };
}

/**
 * s3rver implements multipart create, UploadPart and complete, but answers 405
 * to ListParts (GET ?uploadId) and AbortMultipartUpload (DELETE ?uploadId),
 * which the edge's resumable uploads use (edge/src/lib/s3-multipart.ts). This
 * Koa middleware, first in s3rver's chain, answers both from s3rver's own
 * on-disk upload folder (<dir>/<bucket>/._S3rver_uploads/<uploadId>/<n> with
 * <n>.md5), in S3's XML, so the edge code is the same as against R2.
 */
function addMultipartListAndAbort(server: S3rver, directory: string): void {
  type Ctx = { method: string; path: string; query: Record<string, string | undefined>; status: number; body: unknown; type: string };
  const handler = async (ctx: Ctx, next: () => Promise<void>) => {
    const uploadId = ctx.query.uploadId;
    if (!uploadId || (ctx.method !== 'GET' && ctx.method !== 'DELETE') || !/^[A-Za-z0-9_-]+$/.test(uploadId)) return next();
    const [, bucket, ...keyParts] = ctx.path.split('/');
    if (!bucket || keyParts.length === 0) return next();
    const dir = path.join(directory, bucket, '._S3rver_uploads', uploadId);
    const exists = await stat(dir).then(() => true, () => false);
    if (!exists) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>';
      return;
    }
    if (ctx.method === 'DELETE') {
      await rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
      return;
    }
    const numbers = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    const parts = await Promise.all(
      numbers.map(async (n) => {
        const [md5, info] = await Promise.all([readFile(path.join(dir, `${n}.md5`), 'utf8').catch(() => ''), stat(path.join(dir, String(n)))]);
        return `<Part><PartNumber>${n}</PartNumber><ETag>"${md5.trim()}"</ETag><Size>${info.size}</Size></Part>`;
      }),
    );
    const key = decodeURIComponent(keyParts.join('/'));
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId>${parts.join('')}</ListPartsResult>`;
  };
  (server as unknown as { middleware: unknown[] }).middleware.unshift(handler);
}
