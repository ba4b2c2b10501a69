// The local S3-compatible store (s3rver) with the media bucket created. R2 is
// reached the same way in production (S3 API) by the origin worker.
import { mkdirSync } from 'node:fs';
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
