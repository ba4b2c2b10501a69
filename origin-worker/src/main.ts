// Entry point: config -> logger -> worker (pool, pg-boss, handlers) -> health
// endpoint, then wait for SIGTERM/SIGINT. Run it with Node 22:
//   node origin-worker/src/main.ts
import { ConfigError, loadConfig } from './config.ts';
import { startHealthServer, type HealthServer } from './health.ts';
import { createLogger, mask } from './logger.ts';
import { startWorker, type WorkerOptions } from './worker.ts';

export interface MainOptions {
  env?: Record<string, string | undefined>;
  jobTable?: WorkerOptions['jobTable'];
}

/** Resolves with the exit code once the worker has stopped. */
export async function main(opts: MainOptions = {}): Promise<number> {
  let config;
  try {
    config = loadConfig(opts.env ?? process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // One line, JSON like every other: no logger yet, its level is configuration too.
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', message: err.message, fields: { variable: err.variable } }) + '\n');
    return 1;
  }
  const logger = createLogger({ level: config.logLevel, fields: { service: 'origin-worker' } });

  let stopRequested: (signal: string) => void = () => undefined;
  const stopSignal = new Promise<string>((resolve) => (stopRequested = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C means "now": the jobs in flight are left to the heartbeat/expiry sweep.
    if (++signals > 1) {
      logger.warn('second signal: exiting without waiting for jobs', { signal });
      process.exit(1);
    }
    logger.info('signal received', { signal });
    stopRequested(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  let health: HealthServer | undefined;
  try {
    const worker = await startWorker({ config, logger, jobTable: opts.jobTable });
    try {
      health = await startHealthServer(config.healthPort, worker);
      logger.info('origin worker ready', { workerId: config.workerId, healthPort: health.port, concurrency: config.concurrency });
      await stopSignal;
      // The health endpoint keeps answering (503) until the worker has let go of its jobs.
      await worker.stop();
    } finally {
      await worker.stop();
    }
    return 0;
  } catch (err) {
    logger.error('origin worker failed', { err });
    return 1;
  } finally {
    await health?.close();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

if (import.meta.main) {
  const crash = (err: unknown) => {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'error', message: 'origin worker crashed', fields: { err: mask(err) } }) + '\n');
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // process.exit: an abandoned handler (one that ignored its AbortSignal) must not keep the process alive.
  main().then((code) => process.exit(code), crash);
}
