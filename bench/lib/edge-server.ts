// Runs a Worker entry under `wrangler dev` (workerd, as in `npm run dev`) on a
// loopback port, for the end-to-end tests, and stops its whole process group
// after. The benchmarks use workerd-server.ts (the deploy bundle, no dev tooling).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopProcessGroup } from '../../scripts/stack/process-group.ts';
import { ROOT } from '../../scripts/stack/start.ts';

/** wrangler without its network calls (Request.cf data, metrics) or prompts. */
export const WRANGLER_ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: '1' };

export interface EdgeServer {
  url: string;
  stop(): Promise<void>;
}

export async function startEdge(opts: { entry: string; port: number; vars: Record<string, string>; persistTo?: string }): Promise<EdgeServer> {
  const vars = Object.entries(opts.vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const proc = spawn(
    path.join(ROOT, 'node_modules', '.bin', 'wrangler'),
    ['dev', opts.entry, '--config', 'wrangler.toml', '--ip', '127.0.0.1', '--port', String(opts.port),
      '--inspector-port', String(opts.port + 1), '--log-level', 'error', '--show-interactive-dev-session=false',
      '--persist-to', opts.persistTo ?? path.join(ROOT, '.data', 'bench', 'wrangler'), ...vars],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: WRANGLER_ENV,
    },
  );
  return whenListening(proc, { port: opts.port, what: 'wrangler dev', timeoutMs: 60_000 });
}

/** The Worker server `proc` (started detached) once it answers /health on `port`; stopped and thrown otherwise. */
export async function whenListening(proc: ChildProcess, opts: { port: number; what: string; timeoutMs: number }): Promise<EdgeServer> {
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${opts.port}`;
  const stop = () => stopProcessGroup(proc, 5_000);
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${opts.what} exited: ${stderr.slice(-2000)}`);
    try {
      await fetch(`${url}/health`);
      return { url, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`${opts.what} did not listen on ${url} within ${opts.timeoutMs / 1000} s: ${stderr.slice(-2000)}`);
}
