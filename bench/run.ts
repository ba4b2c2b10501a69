// `npm run bench [name ...]`: runs the named benchmarks (all when none given).
// Each prints absolute numbers side by side and the ratio its issue asks for.
// Benchmarks are bounded in time and only ever load loopback.
import { benchAuth } from './auth.ts';
import { benchCatalog } from './catalog.ts';
import { benchHealth } from './health.ts';
import { benchHeartbeats } from './heartbeats.ts';
import { benchPlayback } from './playback.ts';
import { benchTranscode } from './transcode.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  catalog: () => benchCatalog({ seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32, rounds: 2 }),
  health: () => benchHealth({ seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32, rounds: 2 }),
  auth: () => benchAuth({ seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32, rounds: 2, hashes: 30 }),
  heartbeats: () => benchHeartbeats({ perViewer: Number(process.env.BENCH_HEARTBEATS_PER_VIEWER ?? 48), connections: 32, rounds: 2 }),
  playback: () => benchPlayback({ seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32, rounds: 2 }),
  transcode: () => benchTranscode({ seconds: Math.max(20, Number(process.env.BENCH_TRANSCODE_SECONDS ?? 20)) }),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !(n in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  await BENCHES[name]!();
}
