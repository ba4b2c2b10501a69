// Starts the local stack: real PostgreSQL, real Redis, the Neon and Upstash
// protocol endpoints in front of them, and the S3-compatible store; then runs
// migrations (and the seed, for dev). Used by `npm run dev`, the test global
// setup and the benchmarks, so all three run on the same components.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackLock } from './lock.ts';
import { startNeonEndpoint } from './neon-endpoint.ts';
import { startObjectStore } from './object-store.ts';
import { startFakeKavenegar } from './fake-kavenegar.ts';
import { startFakeDrmVendor } from './fake-drm-vendor.ts';
import { startFakeSendGrid } from './fake-sendgrid.ts';
import { LOCAL_DRM_VENDOR, LOCAL_KAVENEGAR_API_KEY, LOCAL_S3, LOCAL_SENDGRID_API_KEY, LOCAL_UPSTASH_TOKEN, stackDataName, stackEnv, stackPorts, type StackName } from './ports.ts';
import { startPostgres } from './postgres.ts';
import { startRedis } from './redis.ts';
import { startUpstashEndpoint } from './upstash-endpoint.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Stack {
  name: StackName;
  env: Record<string, string>;
  dataDir: string;
  lock: StackLock;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Throw the data away first (tests, benchmarks). Dev keeps it. */
  fresh: boolean;
  seed: boolean;
  log?: (message: string) => void;
}

export async function startStack(name: StackName, opts: StartOptions): Promise<Stack> {
  const log = opts.log ?? (() => undefined);
  const ports = stackPorts(name);
  const env = stackEnv(name);
  const dataDir = path.join(ROOT, '.data', stackDataName(name));
  const lock = new StackLock(dataDir);
  await lock.acquire(name);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`stop: ${e instanceof Error ? e.message : String(e)}`));
    stops.length = 0;
    lock.release();
  };
  try {
    if (opts.fresh) {
      rmSync(path.join(dataDir, 'pg'), { recursive: true, force: true });
      rmSync(path.join(dataDir, 's3'), { recursive: true, force: true });
    }
    // Started side by side; each is registered for stopping as soon as it is up,
    // so a failure of the other never leaves it running.
    const started = await Promise.allSettled([
      // Benchmarks keep production durability (fsync on): write costs are part of what they measure.
      startPostgres({ dataDir: path.join(dataDir, 'pg'), port: ports.postgres, fast: opts.fresh && name !== 'bench', log }).then((pg) => {
        stops.push(pg.stop);
        lock.addChild(pg.pid, { signal: 'SIGINT' });
      }),
      startRedis({ port: ports.redis, log }).then((redis) => {
        stops.push(redis.stop);
        lock.addChild(redis.pid);
      }),
    ]);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    log(`postgres  postgres://127.0.0.1:${ports.postgres}  redis  redis://127.0.0.1:${ports.redis}`);

    const neon = await startNeonEndpoint({ port: ports.neon });
    stops.push(neon.close);
    const upstash = await startUpstashEndpoint({ port: ports.upstash, redisPort: ports.redis, token: LOCAL_UPSTASH_TOKEN });
    stops.push(upstash.close);
    const s3 = await startObjectStore({ port: ports.s3, directory: path.join(dataDir, 's3'), bucket: LOCAL_S3.bucket });
    stops.push(s3.stop);
    const kavenegar = await startFakeKavenegar({ port: ports.kavenegar, apiKey: LOCAL_KAVENEGAR_API_KEY });
    stops.push(kavenegar.close);
    const sendgrid = await startFakeSendGrid({ port: ports.sendgrid, apiKey: LOCAL_SENDGRID_API_KEY });
    stops.push(sendgrid.close);
    const drmVendor = await startFakeDrmVendor({ port: ports.drmVendor, ...LOCAL_DRM_VENDOR });
    stops.push(drmVendor.close);
    log(`sms (fake kavenegar) ${kavenegar.url}  email (fake sendgrid) ${sendgrid.url}`);
    log(`neon      ${neon.fetchEndpoint}  upstash  ${upstash.url}  s3  ${s3.endpoint}/${LOCAL_S3.bucket}`);

    const { migrate } = await import('../../db/migrate.ts');
    const { applied } = await migrate(env.DATABASE_URL!, { log });
    log(`migrations: ${applied.length ? applied.join(', ') : 'up to date'}`);
    if (opts.seed) {
      const { seed } = await import('../../db/seed.ts');
      await seed(env.DATABASE_URL!);
      log('seed: demo catalog loaded');
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, env, dataDir, lock, stop };
}
