// Job types that exist only in tests, on a queue of the test's own.
import { z } from 'zod';
import type { JobTable } from '../../src/jobs/index.ts';
import { PermanentJobError } from '../../src/queue/run-job.ts';
import type { QueueName } from '../../../db/queues.ts';

const sleepData = z.object({ ms: z.number().int().min(0), marker: z.string().optional() });

export function testJobs(queue: string): JobTable {
  const q = queue as QueueName;
  return {
    // Sleeps for `ms` (reporting progress) unless its signal fires first.
    'test-sleep': {
      queue: q,
      definition: {
        parse: (p) => sleepData.parse(p),
        async run({ data, signal, progress, logger }) {
          logger.info('test-sleep running', { ms: data.ms });
          await progress(10, 'sleeping');
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, data.ms);
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(new Error('sleep aborted'));
            }, { once: true });
          });
          await progress(100, 'done');
        },
      },
    },
    'test-permanent': {
      queue: q,
      definition: {
        parse: (p) => p,
        async run() {
          throw new PermanentJobError('the input is unusable');
        },
      },
    },
  };
}
