// The dev stack's supervisor, started by scripts/dev.ts in a process group of
// its own. Starts the stack (Postgres, Redis, Neon/Upstash endpoints, S3 store,
// migrations, seed), then the edge under `wrangler dev` and one origin worker,
// waits until the edge says every dependency is ready, and prints the URLs.
// SIGTERM/SIGINT (forwarded from dev.ts on Ctrl-C) stops everything it started
// in order: the edge and the worker first, while Postgres is still up, then the
// stack. If dev.ts dies without forwarding, the supervisor notices and stops too.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stackPorts } from './stack/ports.ts';
import { stopProcessGroup } from './stack/process-group.ts';
import { ROOT, startStack } from './stack/start.ts';

const log = (m: string) => console.log(`[dev] ${m}`);
const ports = stackPorts('dev');

const stack = await startStack('dev', { fresh: false, seed: true, log }).catch((err: unknown) => {
  console.error(`[dev] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function startChild(name: string, command: string, args: string[], env: Record<string, string>): void {
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // Own process group, so stopProcessGroup() can also reach what the child spawns
    // (wrangler runs workerd).
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}`).join('\n') + '\n';
  proc.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  proc.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  stack.lock.addChild(proc.pid, { group: true });
  children.push({ name, proc });
}

const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const vars = Object.entries(stack.env).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
startChild('edge', bin('wrangler'), [
  'dev', '--config', 'wrangler.toml', '--ip', '127.0.0.1', '--port', String(ports.edge),
  '--persist-to', path.join(stack.dataDir, 'wrangler'), '--show-interactive-dev-session=false', ...vars,
], { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: '1' });
startChild('worker', bin('node'), ['origin-worker/src/main.ts'], stack.env);

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
const launcher = process.ppid;
setInterval(() => {
  if (process.ppid !== launcher) void shutdown(0);
}, 1000).unref();

const edgeUrl = `http://127.0.0.1:${ports.edge}`;
const ready = await waitForReady(`${edgeUrl}/health/ready`, 120_000);
if (!stopping) {
  console.log(`
irdnl is running${ready ? '' : ' (the edge has not reported ready yet: check the logs above)'}
  API            ${edgeUrl}/api/v1
  API docs       ${edgeUrl}/api/v1/docs
  Readiness      ${edgeUrl}/health/ready
  Worker health  http://127.0.0.1:${ports.workerHealth}/health
  Postgres       ${stack.env.DATABASE_URL}
  Redis          ${stack.env.REDIS_URL}
  S3 store       ${stack.env.S3_ENDPOINT}/${stack.env.MEDIA_BUCKET}
Press Ctrl-C to stop everything.
`);
}

async function waitForReady(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  await Promise.all(children.map(({ proc }) => stopProcessGroup(proc, 10_000)));
  await stack.stop();
  log('stopped');
  process.exit(code);
}
