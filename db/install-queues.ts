// Installs (or upgrades) pg-boss's own schema and brings the queues of
// db/queues.ts in line with their policies. Runs at the end of db/migrate.ts,
// under the migration lock, so the edge can enqueue as soon as a deploy's
// migrate step has finished and no worker ever has to migrate on boot.
import { PgBoss } from 'pg-boss';
import type { QueueResult, UpdateQueueOptions } from 'pg-boss';
import { PGBOSS_SCHEMA, QUEUE_NAMES, QUEUES, type QueueName, type QueuePolicy } from './queues.ts';

type Log = (msg: string) => void;

export async function installQueues(databaseUrl: string, log: Log): Promise<void> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: PGBOSS_SCHEMA,
    application_name: 'irdnl-migrate',
    max: 2,
    // Install and migrate the schema, and nothing else: no supervision or
    // maintenance passes, no cron, no instance registry row for a process that
    // lives a few seconds.
    migrate: true,
    createSchema: true,
    supervise: false,
    schedule: false,
    registerInstance: false,
    openTelemetry: { enabled: false },
    // Background index builds of a pg-boss upgrade run only while an instance
    // with migrate: true is up, i.e. only here: poll for them often.
    bamIntervalSeconds: 10,
  });
  // An EventEmitter 'error' without a listener would crash the process.
  boss.on('error', (err) => log(`pg-boss error: ${err.message}`));
  boss.on('warning', (w) => log(`pg-boss warning: ${w.message}`));
  await boss.start();
  try {
    for (const name of QUEUE_NAMES) await syncQueue(boss, name, QUEUES[name], log);
    await waitForBackgroundMigrations(boss, log);
  } finally {
    await boss.stop({ graceful: true, close: true, timeout: 10_000 });
  }
}

async function syncQueue(boss: PgBoss, name: QueueName, policy: QueuePolicy, log: Log): Promise<void> {
  const live = await boss.getQueue(name);
  if (!live) {
    await boss.createQueue(name, policy);
    log(`queue ${name}: created`);
    return;
  }
  if (live.policy !== policy.policy || Boolean(live.partition) !== Boolean(policy.partition)) {
    throw new Error(
      `queue ${name} exists with policy ${live.policy}${live.partition ? ' (partitioned)' : ''}, ` +
        `but db/queues.ts asks for ${policy.policy}${policy.partition ? ' (partitioned)' : ''}: ` +
        'pg-boss cannot change these in place; add a queue under a new name instead',
    );
  }
  const desired = updatableSettings(policy);
  const changed = (Object.keys(desired) as (keyof typeof desired)[]).filter((key) => (live[key as keyof QueueResult] ?? null) !== desired[key]);
  if (changed.length === 0) return;
  await boss.updateQueue(name, desired);
  log(`queue ${name}: updated ${changed.join(', ')}`);
}

/** Every setting updateQueue can change, with null for "unset" so an unset one is cleared. */
function updatableSettings(policy: QueuePolicy) {
  return {
    retryLimit: policy.retryLimit,
    retryDelay: policy.retryDelay,
    retryBackoff: policy.retryBackoff,
    retryDelayMax: policy.retryDelayMax ?? null,
    expireInSeconds: policy.expireInSeconds,
    retentionSeconds: policy.retentionSeconds,
    deleteAfterSeconds: policy.deleteAfterSeconds,
    heartbeatSeconds: policy.heartbeatSeconds ?? null,
    deadLetter: policy.deadLetter ?? null,
  } satisfies UpdateQueueOptions;
}

const BAM_WAIT_MS = 10 * 60_000;

/**
 * A pg-boss upgrade may leave index builds to its background migrator (BAM).
 * Wait for them here, where the deploy expects to wait, rather than cancelling
 * them on stop; past the limit they resume on the next migrate.
 */
async function waitForBackgroundMigrations(boss: PgBoss, log: Log): Promise<void> {
  const deadline = Date.now() + BAM_WAIT_MS;
  let reported = -1;
  for (;;) {
    const status = await boss.getBamStatus();
    const count = (state: string) => status.filter((s) => s.status === state).reduce((n, s) => n + Number(s.count), 0);
    const open = count('pending') + count('in_progress');
    if (reported === -1 && count('failed') > 0) log(`warning: ${count('failed')} pg-boss background migration(s) failed; see ${PGBOSS_SCHEMA}.bam`);
    if (open === 0) return;
    if (Date.now() > deadline) {
      log(`warning: ${open} pg-boss background migration(s) still running; the next migrate resumes them`);
      return;
    }
    if (open !== reported) log(`waiting for ${open} pg-boss background migration(s)`);
    reported = open;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
