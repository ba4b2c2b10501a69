// A real redis-server child process. Nothing persists: Redis holds caches,
// rate-limit counters and buffers that the stack can always rebuild.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

export interface RedisHandle {
  pid: number | undefined;
  stop(): Promise<void>;
}

export function redisServerPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

export async function startRedis(opts: { port: number; log: (m: string) => void }): Promise<RedisHandle> {
  const bin = redisServerPath();
  if (!bin) throw new Error('redis-server is not installed: run `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).');
  const child = spawn(bin, ['--port', String(opts.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(opts.port, 10_000, exited).catch(() => {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${opts.port}: ${stderr.trim() || 'no output'}`);
  });
  return {
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function waitForPort(port: number, timeoutMs: number, abort?: Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let aborted = false;
  abort?.then(() => (aborted = true));
  while (Date.now() < deadline && !aborted) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}
