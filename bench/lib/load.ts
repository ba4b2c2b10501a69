// Loopback load with autocannon, bounded in time and connections, and the
// side-by-side report every benchmark prints: absolute numbers and the ratio.
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  label: string;
  seconds: number;
  connections: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: opts.url,
    duration: opts.seconds,
    connections: opts.connections,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    body: opts.body,
  });
  return {
    label: opts.label,
    requestsPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** Runs A and B alternately for `rounds` rounds so drift (thermal, other load) hits both equally. */
export async function compare(a: Omit<LoadOptions, 'label'> & { label: string }, b: Omit<LoadOptions, 'label'> & { label: string }, rounds: number): Promise<[LoadResult, LoadResult]> {
  const as: LoadResult[] = [];
  const bs: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await runLoad(a));
    bs.push(await runLoad(b));
  }
  return [merge(as), merge(bs)];
}

function merge(results: LoadResult[]): LoadResult {
  const avg = (f: (r: LoadResult) => number) => results.reduce((s, r) => s + f(r), 0) / results.length;
  return {
    label: results[0]!.label,
    requestsPerSec: avg((r) => r.requestsPerSec),
    p50Ms: avg((r) => r.p50Ms),
    p99Ms: avg((r) => r.p99Ms),
    requests: results.reduce((s, r) => s + r.requests, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
    errors: results.reduce((s, r) => s + r.errors, 0),
  };
}

export function printComparison(title: string, subject: LoadResult, baseline: LoadResult, target?: { min: number; what: string }): number {
  const ratio = subject.requestsPerSec / baseline.requestsPerSec;
  const row = (r: LoadResult) =>
    `  ${r.label.padEnd(34)} ${r.requestsPerSec.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(7)} ms   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   (${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`;
  console.log(`\n${title}`);
  console.log(row(subject));
  console.log(row(baseline));
  const verdict = target ? `  target >= ${target.min} ${target.what}: ${ratio >= target.min ? 'MET' : 'NOT MET'}` : '';
  console.log(`  ratio (throughput ${subject.label} / ${baseline.label}): ${ratio.toFixed(3)}${verdict}`);
  return ratio;
}
