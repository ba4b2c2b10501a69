// Serves a Worker entry the way Cloudflare runs it, for the benchmarks that
// compare the edge's own code paths: the deploy bundle (`wrangler deploy
// --dry-run`, the bytes ops upload) on plain workerd, with no dev tooling in
// the request path. Under `wrangler dev` every request also crosses wrangler's
// proxy Worker (a second workerd process), Miniflare's entry Worker, a JS
// outbound Worker per subrequest and an attached inspector: about 1.5 ms of
// CPU per request on this machine, the same for every path, which compresses
// any ratio between a cheap path and an expensive one (a hello-world Worker:
// ~650 req/s through `wrangler dev`, ~10,000 on plain workerd).
//
// `caches.default` is served by workerd's cache API protocol from an
// in-memory store in the same process (cache-service.js), standing in for
// the colo cache that cannot run here. Bindings are the stack's variables;
// the R2 binding is left out, as media goes to the stack's S3 endpoint
// (S3_ENDPOINT) like in every local run. BENCH_INSPECT=<port> opens workerd's
// inspector there, for a CPU profile of a benchmark (Chrome DevTools, or the
// Profiler domain over its WebSocket).
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ROOT } from '../../scripts/stack/start.ts';
import { WRANGLER_ENV, whenListening, type EdgeServer } from './edge-server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The deploy bundle (wrangler.toml's settings, rules and compatibility) of
 * `entry`, or of wrangler.toml's main, in `outdir`; the files written.
 */
export async function bundleWorker(outdir: string, entry?: string): Promise<string[]> {
  // On this Node (22+, which wrangler needs), whatever `node` PATH finds.
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--config', 'wrangler.toml', '--outdir', outdir, ...(entry ? [entry] : [])], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    timeout: 120_000,
  });
  return readdirSync(outdir);
}

/** Cap'n Proto text for a string: the values here are ASCII (keys, URLs, JSON). */
function capnpString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`workerd config: value is not printable ASCII: ${value.slice(0, 40)}`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** wrangler.toml's compatibility date and flags, so the benchmark runs what ops deploy. */
function compatibility(): { date: string; flags: string[] } {
  const toml = readFileSync(path.join(ROOT, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? '';
  if (!date) throw new Error('wrangler.toml has no compatibility_date');
  return { date, flags: [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) };
}

function workerdConfig(opts: { port: number; main: string; files: string[]; vars: Record<string, string> }): string {
  const compat = compatibility();
  const modules = [`(name = ${capnpString(opts.main)}, esModule = embed ${capnpString(opts.main)})`];
  for (const f of opts.files) {
    if (f === opts.main || f.endsWith('.map') || f.endsWith('.md')) continue;
    // wrangler.toml's rules: WebAssembly modules, and hls.min.js as Text.
    if (f.endsWith('.wasm')) modules.push(`(name = ${capnpString(f)}, wasm = embed ${capnpString(f)})`);
    else if (f.endsWith('hls.min.js')) modules.push(`(name = ${capnpString(f)}, text = embed ${capnpString(f)})`);
    else throw new Error(`workerd config: no module rule for bundle file ${f}`);
  }
  const bindings = Object.entries(opts.vars).map(([k, v]) => `(name = ${capnpString(k)}, text = ${capnpString(v)})`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edge),
    (name = "cache", worker = .cache),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${opts.port}", http = (), service = "edge")],
);
const edge :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  compatibilityDate = ${capnpString(compat.date)},
  compatibilityFlags = [${compat.flags.map(capnpString).join(', ')}],
  bindings = [${bindings.join(', ')}],
  globalOutbound = "internet",
  cacheApiOutbound = "cache",
);
const cache :Workerd.Worker = (
  modules = [(name = "cache-service.js", esModule = embed "cache-service.js")],
  compatibilityDate = ${capnpString(compat.date)},
);
`;
}

/** A workerd a killed benchmark left running (it holds the bench port): its pid file names it. */
function stopLeftover(outdir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(outdir, 'workerd.pid'), 'utf8'));
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('config.capnp')) return;
  } catch {
    return; // no pid file, or the process is gone
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function startWorkerd(opts: { entry: string; port: number; vars: Record<string, string> }): Promise<EdgeServer> {
  const outdir = path.join(ROOT, '.data', 'bench', 'workerd', path.basename(opts.entry, '.ts'));
  stopLeftover(outdir);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const files = await bundleWorker(outdir, opts.entry);
  const main = `${path.basename(opts.entry, '.ts')}.js`;
  if (!files.includes(main)) throw new Error(`wrangler bundle of ${opts.entry} has no ${main}: ${files.join(', ')}`);
  copyFileSync(path.join(HERE, 'cache-service.js'), path.join(outdir, 'cache-service.js'));
  writeFileSync(path.join(outdir, 'config.capnp'), workerdConfig({ port: opts.port, main, files, vars: opts.vars }));

  // The workerd binary wrangler itself runs.
  const workerd = createRequire(path.join(ROOT, 'node_modules', 'miniflare', 'package.json'))('workerd').default as string;
  const inspect = process.env.BENCH_INSPECT ? [`--inspector-addr=127.0.0.1:${process.env.BENCH_INSPECT}`] : [];
  const proc = spawn(workerd, ['serve', 'config.capnp', ...inspect], { cwd: outdir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  if (proc.pid) writeFileSync(path.join(outdir, 'workerd.pid'), String(proc.pid));
  return whenListening(proc, { port: opts.port, what: 'workerd', timeoutMs: 30_000 });
}
