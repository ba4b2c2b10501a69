// Issue #4 benchmark: a content-detail read served from cache vs the same read
// forced to Postgres (CATALOG_CACHE=off), same workerd (the deploy bundle on
// plain workerd, bench/lib/workerd-server.ts), one run, on the seeded
// demo catalog. Two cached cases: the Workers Cache API answering (anonymous
// reads), and the Redis cache answering (what signed-in reads get; measured
// anonymously with Cache-Control: no-cache, as the per-user rate limit would
// refuse one user at this rate). Target: cached at least 5x the throughput.
import { signAccessToken } from '../edge/src/lib/auth/access-token.ts';
import { authSchema, toAuthConfig } from '../edge/src/lib/auth/config.ts';
import { stackPorts } from '../scripts/stack/ports.ts';
import { startStackProcess } from './lib/stack-process.ts';
import { CONTENT } from '../db/seed/data.ts';
import { startWorkerd } from './lib/workerd-server.ts';
import { compare, printComparison } from './lib/load.ts';

export async function benchCatalog(opts: { seconds: number; connections: number; rounds: number }): Promise<void> {
  const stack = await startStackProcess({ seed: true });
  try {
    const edge = await startWorkerd({ entry: 'bench/workers/catalog-bench.ts', port: stackPorts('bench').edge, vars: { ...stack.env, LOG_LEVEL: 'error' } });
    try {
      const config = toAuthConfig(authSchema.parse(stack.env), stack.env.AUTH_SIGNING_KEYS!);
      const { token } = await signAccessToken(config, { userId: crypto.randomUUID(), sessionId: crypto.randomUUID(), role: 'viewer', profileId: null, maturityCap: null, tier: 'premium' });
      const slug = CONTENT.find((c) => c.seasons?.length)!.slug;
      const path = `/api/v1/catalog/${slug}?lang=fa`;
      const signedIn = { Authorization: `Bearer ${token}` };
      // Same bytes either way.
      const [a, b] = await Promise.all([fetch(`${edge.url}${path}`, { headers: signedIn }), fetch(`${edge.url}/nocache${path}`, { headers: signedIn })]);
      const [x, y] = [await a.text(), await b.text()];
      if (a.status !== 200 || x !== y) throw new Error(`cached (${a.status}) and uncached reads differ`);
      // Each case is served by the layer it names (X-Catalog-Cache), or the figures mean nothing.
      const layer = async (url: string, headers: Record<string, string> = {}) => (await fetch(url, { headers })).headers.get('X-Catalog-Cache');
      // The edge copy is stored after the first response (waitUntil): give it a moment.
      for (let i = 0; i < 20 && (await layer(`${edge.url}${path}`)) !== 'edge'; i++) await new Promise((r) => setTimeout(r, 100));
      const layers = [await layer(`${edge.url}${path}`), await layer(`${edge.url}${path}`, { 'Cache-Control': 'no-cache' }), await layer(`${edge.url}/nocache${path}`)];
      if (layers.join() !== 'edge,redis,origin') throw new Error(`expected edge, redis and origin answers, got ${layers.join(', ')}`);

      const s = opts.seconds;
      const c = opts.connections;
      const pg = { url: `${edge.url}/nocache${path}`, label: 'forced to Postgres', seconds: s, connections: c };
      const anon = { url: `${edge.url}${path}`, label: 'Workers Cache API hit', seconds: s, connections: c };
      const redis = { url: `${edge.url}${path}`, headers: { 'Cache-Control': 'no-cache' }, label: 'Redis cache hit (edge copy skipped)', seconds: s, connections: c };
      await compare({ ...anon, seconds: 2 }, { ...pg, seconds: 2 }, 1);
      await compare({ ...redis, seconds: 2 }, { ...pg, seconds: 2 }, 1);
      const [ca, pa] = await compare(anon, pg, opts.rounds);
      printComparison(`catalog: content detail (${slug}, a series with its seasons) served from cache vs forced to Postgres (${opts.rounds}x${s}s each, ${c} connections)`, ca, pa, { min: 5, what: 'x the Postgres throughput' });
      const [cr, pr] = await compare(redis, pg, opts.rounds);
      // For reference (the second tier): two Upstash round trips (rate limit + lookup) against the Postgres path's three.
      printComparison('catalog: the same with the edge copy skipped (Cache-Control: no-cache), i.e. the Redis tier signed-in reads get (for reference)', cr, pr);
    } finally {
      await edge.stop();
    }
  } finally {
    await stack.stop();
  }
}
