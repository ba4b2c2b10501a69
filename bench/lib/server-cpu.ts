// CPU time spent by the stack's servers, read beside a benchmark's throughput:
// on a 2-core box every process shares the cores, so requests per second say
// little about what a path costs the database. In production Postgres (Neon)
// and Redis (Upstash) are billed and scaled on their own; their CPU per
// request is the figure that carries over.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** /proc/<pid>/stat fields after the command name: [state, ppid, ...]. */
function statFields(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // exited meanwhile
  }
}

// Field numbers (proc(5)) minus 3, as statFields drops pid and comm.
const UTIME = 11;
const STIME = 12;
const CUTIME = 13;
const CSTIME = 14;

/**
 * CPU seconds of a process and its children so far: the children that exited
 * and were waited for count in the parent's cutime/cstime, the live ones in
 * their own utime/stime. (Postgres's postmaster waits for every backend.)
 */
function treeCpuSeconds(rootPid: number): number {
  const ticks = (f: string[], ...at: number[]) => at.reduce((n, i) => n + Number(f[i]), 0);
  const root = statFields(rootPid);
  if (!root) throw new Error(`process ${rootPid} is gone`);
  let total = ticks(root, UTIME, STIME, CUTIME, CSTIME);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f && Number(f[1]) === rootPid) total += ticks(f, UTIME, STIME, CUTIME, CSTIME);
  }
  return total / TICKS_PER_SECOND;
}

/** Reads Postgres's CPU so far (postmaster and all its processes: backends, WAL writer, checkpointer, autovacuum). */
export async function postgresCpu(db: pg.Client): Promise<() => number> {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmaster = Number(statFields(rows[0]!.pid)![1]);
  return () => treeCpuSeconds(postmaster);
}

/** Reads Redis's own CPU so far (INFO cpu, through the stack's Upstash endpoint). */
export function redisCpu(env: Record<string, string>): () => Promise<number> {
  return async () => {
    const res = await fetch(env.UPSTASH_REDIS_REST_URL!, { method: 'POST', headers: { Authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN}` }, body: JSON.stringify(['INFO', 'cpu']) });
    const { result } = (await res.json()) as { result: string };
    const field = (name: string) => Number(new RegExp(`(?:^|\\n)${name}:([\\d.]+)`).exec(result)?.[1] ?? NaN);
    return field('used_cpu_sys') + field('used_cpu_user');
  };
}

/** CPU seconds so far of every process whose command line contains `needle` (and of its waited-for children). */
export function cpuOfProcesses(needle: string): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(needle)) continue;
    const f = statFields(Number(name));
    if (f) total += [UTIME, STIME, CUTIME, CSTIME].reduce((n, i) => n + Number(f[i]), 0) / TICKS_PER_SECOND;
  }
  return total;
}
