// One stack per name at a time: a second `npm run dev` must refuse instead of
// starting a second Postgres on the same data folder. The lock records the
// processes the stack started too, so a stack whose owner was killed with -9
// is cleaned up by the next start instead of blocking its ports.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LockedChild {
  pid: number;
  /** The child leads its own process group (detached): signal the whole group. */
  group: boolean;
  /** How this child stops cleanly: Postgres wants SIGINT (fast shutdown). */
  signal: 'SIGINT' | 'SIGTERM';
}

interface LockContent {
  pid: number;
  children: LockedChild[];
}

const STOP_WAIT_MS = 10_000;

export class StackLock {
  private readonly file: string;
  private children: LockedChild[] = [];

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'stack.lock');
  }

  /** Takes the lock, or throws naming the process that holds it. Stops what a dead holder left running. */
  async acquire(label: string): Promise<void> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    if (existsSync(this.file)) {
      const held = JSON.parse(readFileSync(this.file, 'utf8')) as LockContent;
      if (held.pid !== process.pid && isAlive(held.pid)) {
        throw new Error(`The ${label} stack is already running (pid ${held.pid}); stop it (Ctrl-C in its terminal) before starting another.`);
      }
      await stopOrphans(held.children);
    }
    this.write();
  }

  addChild(pid: number | undefined, opts: { group?: boolean; signal?: 'SIGINT' | 'SIGTERM' } = {}): void {
    if (pid) {
      this.children.push({ pid, group: opts.group ?? false, signal: opts.signal ?? 'SIGTERM' });
      this.write();
    }
  }

  release(): void {
    rmSync(this.file, { force: true });
  }

  private write(): void {
    const content: LockContent = { pid: process.pid, children: this.children };
    writeFileSync(this.file, JSON.stringify(content));
  }
}

async function stopOrphans(children: LockedChild[]): Promise<void> {
  const alive = children.filter((c) => isAlive(c.pid));
  for (const c of alive) signal(c, c.signal);
  const deadline = Date.now() + STOP_WAIT_MS;
  while (alive.some((c) => isAlive(c.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const c of alive) signal(c, 'SIGKILL');
}

function signal(child: LockedChild, sig: NodeJS.Signals): void {
  try {
    process.kill(child.group ? -child.pid : child.pid, sig);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
