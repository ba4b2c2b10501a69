// Shared by the end-to-end tests: the edge under `wrangler dev` on the test
// stack's edge port (workerd, the production entry), and an origin worker in
// this process running the production transcode job on a queue of the test's
// own (so it never claims jobs other test files enqueue on `transcode`).
import path from 'node:path';
import { startEdge, type EdgeServer } from '../bench/lib/edge-server.ts';
import { transcodeJob } from '../origin-worker/src/jobs/transcode.ts';
import { createLogger } from '../origin-worker/src/logger.ts';
import { startWorker } from '../origin-worker/src/worker.ts';
import { createTestQueue, makeTempDir, testConfig, type TestDb } from '../origin-worker/test/helpers/db.ts';
import { binaries, testStore } from '../origin-worker/test/helpers/media.ts';
import { stackDataName, stackEnv, stackPorts } from '../scripts/stack/ports.ts';
import { ROOT } from '../scripts/stack/start.ts';

/**
 * `instance` keeps e2e files that run at the same time apart: each gets its
 * own port pair (HTTP, inspector) and wrangler state folder.
 */
export function startTestEdge(instance: number, vars: Record<string, string> = {}): Promise<EdgeServer> {
  return startEdge({
    entry: 'edge/src/index.ts',
    port: stackPorts('test').edge + instance * 2,
    vars: { ...stackEnv('test'), LOG_LEVEL: 'error', ...vars },
    persistTo: path.join(ROOT, '.data', stackDataName('test'), `wrangler-${instance}`),
  });
}

export interface TranscodeWorker {
  queue: string;
  stop(): Promise<void>;
}

/** A worker with the real transcode job (ladder 360/240 to stay quick) on a fresh queue, with the stack's DRM KEKs. */
export async function startTranscodeWorker(t: TestDb): Promise<TranscodeWorker> {
  const keks = JSON.parse(stackEnv('test').DRM_KEKS!) as { id: string; key: string }[];
  const store = testStore();
  const tmp = await makeTempDir();
  const q = await createTestQueue(t.boss, { retryLimit: 1 });
  const worker = await startWorker({
    config: testConfig({ TEMP_DIR: path.join(tmp.dir, 'work'), WORKER_POLL_SECONDS: '0.5' }),
    logger: createLogger({ level: 'error', write: () => undefined }),
    jobTable: (services) => ({
      transcode: { queue: q.name as 'transcode', definition: transcodeJob({ db: services.db, store, binaries, ladderSizes: [360, 240], x264Preset: 'veryfast', progressIntervalMs: 0, keks }) },
    }),
  });
  return {
    queue: q.name,
    async stop() {
      await worker.stop();
      await q.drop();
      store.destroy();
      await tmp.remove();
    },
  };
}
