// Spawns the worker as a real process (Node 22, the .ts sources) and reads its
// JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const NODE = path.join(ROOT, 'node_modules/.bin/node');
export const MAIN = path.join(ROOT, 'origin-worker/src/main.ts');

export interface SpawnOptions {
  env: Record<string, string>;
  /** Defaults to the real entry point. */
  script?: string;
}

export interface RunningWorker {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  stderr(): string;
  healthPort: number;
  exited: Promise<number | null>;
  /** Waits for a log line matching `msg`, up to `timeoutMs`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function spawnWorker(opts: SpawnOptions) {
  const proc = spawn(NODE, [opts.script ?? MAIN], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stdoutBuf = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  proc.stdout!.on('data', (chunk: Buffer) => {
    stdoutBuf += chunk.toString();
    let nl: number;
    while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
      const line = stdoutBuf.slice(0, nl);
      stdoutBuf = stdoutBuf.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ message: line, unparsed: true });
      }
      for (const l of listeners) l();
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitForLog = (msg: string, timeoutMs = 15_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const hit = lines.find((l) => l.message === msg);
        if (hit) {
          cleanup();
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no "${msg}" log line within ${timeoutMs} ms; stderr: ${stderr}; stdout: ${JSON.stringify(lines)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      void exited.then(() => setTimeout(() => {
        if (listeners.has(check)) {
          cleanup();
          reject(new Error(`worker exited before "${msg}"; stderr: ${stderr}; stdout: ${JSON.stringify(lines)}`));
        }
      }, 50));
      listeners.add(check);
      check();
    });
  return { proc, lines, stderr: () => stderr, exited, waitForLog };
}

/** Runs the worker to completion (for start-up failures). */
export async function runMain(opts: SpawnOptions): Promise<{ code: number | null; stderr: string; lines: Record<string, unknown>[] }> {
  const w = spawnWorker(opts);
  const code = await w.exited;
  return { code, stderr: w.stderr(), lines: w.lines };
}

/** Starts the worker and resolves once it reports ready, with its health port. */
export async function startMain(opts: SpawnOptions): Promise<RunningWorker> {
  const w = spawnWorker({ ...opts, env: { WORKER_HEALTH_PORT: '0', ...opts.env } });
  try {
    const ready = await w.waitForLog('origin worker ready', 20_000);
    return { ...w, healthPort: Number((ready.fields as { healthPort?: unknown } | undefined)?.healthPort) };
  } catch (err) {
    w.proc.kill('SIGKILL');
    throw err;
  }
}

export async function getHealth(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
