import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child started with `detached: true` together with everything it
 * spawned (wrangler runs workerd in its group): SIGTERM to the whole group,
 * SIGKILL after `graceMs`, and SIGKILL again once the leader is gone so no
 * grandchild outlives it.
 */
export async function stopProcessGroup(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const pgid = -proc.pid;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pgid, s);
    } catch {
      // the group is already empty
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL');
}
