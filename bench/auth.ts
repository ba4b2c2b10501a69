// Issue #3 benchmark, on the real local stack (Redis behind the Upstash REST
// endpoint) and the production middleware, in one workerd:
//  1. an authenticated route (access-token verification + requireAuth's
//     deny-list check) vs the same route without auth, autocannon on loopback,
//     side by side. Target: auth costs < 20% of the unauthenticated
//     throughput, i.e. a ratio of at least 0.8.
//  2. the time of one Argon2id password hash in workerd. workerd's clocks only
//     advance on I/O (Spectre mitigation), so a Worker cannot time its own CPU
//     work; instead the client times N sequential requests that each hash once
//     against the same requests without the hash, alternating, and takes the
//     difference. On an idle loopback the hash is pure CPU on one thread, so
//     this wall-time difference is its CPU time.
import { performance } from 'node:perf_hooks';
import { signAccessToken } from '../edge/src/lib/auth/access-token.ts';
import { authSchema, toAuthConfig } from '../edge/src/lib/auth/config.ts';
import { stackPorts } from '../scripts/stack/ports.ts';
import { startStackProcess } from './lib/stack-process.ts';
import { startWorkerd } from './lib/workerd-server.ts';
import { compare, printComparison } from './lib/load.ts';

export async function benchAuth(opts: { seconds: number; connections: number; rounds: number; hashes: number }): Promise<void> {
  const stack = await startStackProcess({ seed: false });
  try {
    const edge = await startWorkerd({ entry: 'bench/workers/auth-bench.ts', port: stackPorts('bench').edge, vars: { ...stack.env, LOG_LEVEL: 'error' } });
    try {
      await benchMiddleware(edge.url, stack.env, opts);
      await benchHash(edge.url, opts.hashes);
    } finally {
      await edge.stop();
    }
  } finally {
    await stack.stop();
  }
}

async function benchMiddleware(url: string, env: Record<string, string>, opts: { seconds: number; connections: number; rounds: number }): Promise<void> {
  // A token minted with the stack's signing key, as sign-in would; requireAuth
  // needs no database row, only the signature and the deny-list check.
  const config = toAuthConfig(authSchema.parse(env), env.AUTH_SIGNING_KEYS!);
  const { token } = await signAccessToken(config, { userId: crypto.randomUUID(), sessionId: crypto.randomUUID(), role: 'viewer', profileId: null, maturityCap: null, tier: 'free' });
  const headers = { Authorization: `Bearer ${token}` };

  const [authed, open, refused] = await Promise.all([fetch(`${url}/bench/authed`, { headers }), fetch(`${url}/bench/open`), fetch(`${url}/bench/authed`)]);
  const [a, b] = [await authed.text(), await open.text()];
  if (authed.status !== 200 || a !== b) throw new Error(`authed route answered ${authed.status} ${a}, open answered ${b}`);
  if (refused.status !== 401) throw new Error(`authed route without a token answered ${refused.status}, not 401`);

  const subject = { url: `${url}/bench/authed`, headers, label: 'GET /bench/authed (requireAuth)', seconds: opts.seconds, connections: opts.connections };
  const baseline = { url: `${url}/bench/open`, label: 'GET /bench/open (no auth)', seconds: opts.seconds, connections: opts.connections };
  await compare({ ...subject, seconds: 2 }, { ...baseline, seconds: 2 }, 1); // warm-up
  const [s, o] = await compare(subject, baseline, opts.rounds);
  printComparison(
    `auth: access-token verification + requireAuth (production: deny-list memo ${env.AUTH_REVOCATION_CACHE_MS ?? 1000} ms per isolate) vs the same route without auth, same workerd (${opts.rounds}x${opts.seconds}s each, ${opts.connections} connections)`,
    s,
    o,
    { min: 0.8, what: 'of unauthenticated throughput (auth costs < 20%)' },
  );
  // The split: what the memo saves, i.e. the cost of one Redis EXISTS per request.
  const noMemo = { ...subject, url: `${url}/bench/authed-nomemo`, label: 'GET /bench/authed, memo off (Redis every request)' };
  const [n, o2] = await compare(noMemo, baseline, opts.rounds);
  printComparison(`auth, for the split: the same with AUTH_REVOCATION_CACHE_MS=0 (one Upstash round trip per request)`, n, o2);
}

async function benchHash(url: string, n: number): Promise<void> {
  const timed = async (path: string) => {
    const start = performance.now();
    const res = await fetch(`${url}${path}`);
    await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return performance.now() - start;
  };
  for (let i = 0; i < 3; i++) await Promise.all([timed('/bench/hash'), timed('/bench/nohash')]); // warm (WASM instantiation, JIT)
  const params = (await fetch(`${url}/bench/hash`)).headers.get('X-Hash-Params');
  const withHash: number[] = [];
  const without: number[] = [];
  for (let i = 0; i < n; i++) {
    withHash.push(await timed('/bench/hash'));
    without.push(await timed('/bench/nohash'));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(`\nauth: one Argon2id hash (${params}) in workerd, ${n} sequential requests each`);
  console.log(`  with one hash      median ${median(withHash).toFixed(1)} ms   mean ${mean(withHash).toFixed(1)} ms`);
  console.log(`  without            median ${median(without).toFixed(1)} ms   mean ${mean(without).toFixed(1)} ms`);
  console.log(`  one hash costs     median ${(median(withHash) - median(without)).toFixed(1)} ms   mean ${(mean(withHash) - mean(without)).toFixed(1)} ms`);
}
