// The Worker's cron (wrangler.toml [triggers]): every 2 minutes, flush buffered
// progress heartbeats to Postgres, in batches of a thousand profiles until the
// buffer is drained (40 batches at most per run). A batch that fails (or a run
// that dies) stays picked in Redis (edge/src/services/viewing/progress-buffer.ts)
// and the next run retries it; overlapping runs are prevented by the flush lock.
import { parseConfig, usable, type Env } from './env.ts';
import { createLogger } from './lib/logger.ts';
import { createServices } from './lib/services.ts';
import { flushBufferedProgress } from './services/viewing/progress-buffer.ts';

export async function runScheduled(env: Env): Promise<void> {
  const config = parseConfig(env);
  const logger = createLogger(config.logLevel, { task: 'flush-progress' });
  const services = createServices(config);
  try {
    const result = await flushBufferedProgress({ redis: services.redis, db: services.db, completeRatio: usable(config.viewing).resumeMax });
    // Outliving the 55 s lock means the flush no longer keeps up: worth a look.
    if (result.skipped === 'lock_lost') logger.warn('progress flush outlived its lock; the next run carries on', { ...result });
    else if (result.entries > 0 || result.skipped) logger.info('progress flushed', { ...result });
  } catch (error) {
    logger.error('progress flush failed; kept in Redis for the next run', { error });
    throw error;
  }
}
