// Issue #2 benchmark: /health through the full middleware stack vs a bare Hono
// app answering the same bytes in the same workerd. Target: >= 0.7.
import { stackEnv, stackPorts } from '../scripts/stack/ports.ts';
import { startWorkerd } from './lib/workerd-server.ts';
import { compare, printComparison } from './lib/load.ts';

export async function benchHealth(opts: { seconds: number; connections: number; rounds: number }): Promise<void> {
  const port = stackPorts('bench').edge;
  // /health touches no dependency, so no services are started: the vars only
  // have to parse.
  const edge = await startWorkerd({ entry: 'bench/workers/health-bench.ts', port, vars: { ...stackEnv('bench'), LOG_LEVEL: 'error' } });
  try {
    const [full, bare] = await Promise.all([fetch(`${edge.url}/health`), fetch(`${edge.url}/bare/health`)]);
    const [fullBody, bareBody] = [await full.text(), await bare.text()];
    if (fullBody !== bareBody) throw new Error(`bodies differ: full ${JSON.stringify(fullBody)} vs bare ${JSON.stringify(bareBody)}`);
    // Warm both paths (JIT, isolate) before measuring.
    await compare({ url: `${edge.url}/health`, label: 'warm', seconds: 2, connections: opts.connections }, { url: `${edge.url}/bare/health`, label: 'warm', seconds: 2, connections: opts.connections }, 1);
    const [a, b] = await compare(
      { url: `${edge.url}/health`, label: 'full stack GET /health', seconds: opts.seconds, connections: opts.connections },
      { url: `${edge.url}/bare/health`, label: 'bare Hono GET /bare/health', seconds: opts.seconds, connections: opts.connections },
      opts.rounds,
    );
    printComparison(`health: full middleware stack vs bare Hono, same workerd (${opts.rounds}x${opts.seconds}s each, ${opts.connections} connections)`, a, b, { min: 0.7, what: 'of bare throughput' });
  } finally {
    await edge.stop();
  }
}
