// One stack per name at a time: a second `npm run dev` must refuse instead of
// starting a second Postgres on the same data folder. The lock records the
// child pids too, so a stack whose parent was killed with -9 can be cleaned up.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface LockContent {
  pid: number;
  children: number[];
}

export class StackLock {
  private readonly file: string;
  private children: number[] = [];

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'stack.lock');
  }

  /** Takes the lock, or throws naming the process that holds it. Cleans up after a dead holder. */
  acquire(label: string): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    if (existsSync(this.file)) {
      const held = JSON.parse(readFileSync(this.file, 'utf8')) as LockContent;
      if (isAlive(held.pid) && held.pid !== process.pid) {
        throw new Error(`The ${label} stack is already running (pid ${held.pid}); stop it (Ctrl-C in its terminal) before starting another.`);
      }
      for (const child of held.children) if (isAlive(child)) process.kill(child, 'SIGKILL');
    }
    this.write();
  }

  addChild(pid: number | undefined): void {
    if (pid) {
      this.children.push(pid);
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
