// Progress heartbeats, buffered in Redis so Postgres sees one write per item
// per flush instead of one per heartbeat (players beat every ~10 s).
//   hb:p:{profileId}        hash  item -> {"p":pos,"d":dur,"t":ms}   (the live buffer)
//   hb:inflight:{profileId} hash  the same, taken by a flush that has not committed yet
//   hb:dirty                set   profiles with something to flush
//   hb:flushing             set   profiles picked by a flush that has not committed yet
//   hb:flush-lock           one flush at a time
// A flush takes dirty profiles in batches of up to a thousand, four round
// trips each: PICK moves a batch of ids from hb:dirty to hb:flushing, TAKE
// moves their buffers to their in-flight keys, one statement writes the batch
// to Postgres, and only then COMMIT deletes the in-flight keys and the ids
// from hb:flushing. So a 2-minute cron keeps up with tens of thousands of
// viewers within the Worker's subrequest limit.
// Crash safety: a profile is always in hb:dirty or hb:flushing until its
// positions are in Postgres. Whatever a flush that failed, or died, left in
// hb:flushing, the next PICK (holding the lock, so no live flush owns it)
// returns to hb:dirty; its in-flight entries are then merged under the newer
// live ones by TAKE and written. A failed write is handled the same way: the
// batch stays picked and the next run retries it. Every step checks that the
// lock is still ours: a flush that outlived its lock stops, and leaves its
// batch for the next run rather than deleting what that run took; writing
// the same entries twice is harmless, since a write never moves a row back.
// Reads merge live + in-flight + Postgres, so a viewer always sees their
// latest position.
import { flushProgress, type ProgressEntry } from '../../../../db/sql/watch-history.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import type { Redis } from '../../lib/redis.ts';

export interface Buffered {
  position: number;
  duration: number;
  /** When the player reported it, ms. */
  t: number;
}

const live = (profileId: string) => `hb:p:${profileId}`;
const inflight = (profileId: string) => `hb:inflight:${profileId}`;
const DIRTY = 'hb:dirty';
const FLUSHING = 'hb:flushing';
const LOCK = 'hb:flush-lock';
// A buffer nobody flushes (the cron stopped) still goes away eventually.
const BUFFER_TTL_SECONDS = 7 * 86_400;

export const itemKey = (contentId: string, episodeId: string | null) => `${contentId}|${episodeId ?? '-'}`;
/** The inverse of itemKey. */
export function parseItem(field: string): { contentId: string; episodeId: string | null } {
  const [contentId, episode] = field.split('|') as [string, string];
  return { contentId, episodeId: episode === '-' ? null : episode };
}

// The hot path in one Upstash round trip: when the title is already checked
// for this profile (KEYS[3] holds its length), clamp and buffer the position
// and return the length; else return false and buffer nothing.
const BUFFER_IF_CHECKED = `
local duration = tonumber(redis.call('GET', KEYS[3]) or '')
if not duration or duration <= 0 then return false end
local position = math.min(tonumber(ARGV[2]), duration)
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ p = position, d = duration, t = tonumber(ARGV[3]) }))
redis.call('EXPIRE', KEYS[1], ${BUFFER_TTL_SECONDS})
redis.call('SADD', KEYS[2], ARGV[4])
return tostring(duration)`;

/** Buffers the position when `checkedKey` says the title was checked; the title's length, or null. */
export async function bufferIfChecked(redis: Redis, checkedKey: string, profileId: string, item: { contentId: string; episodeId: string | null }, position: number, t: number): Promise<number | null> {
  const reply = await redis.eval(BUFFER_IF_CHECKED, [live(profileId), DIRTY, checkedKey], [itemKey(item.contentId, item.episodeId), String(position), String(t), profileId]);
  return reply === null || reply === false || reply === 0 ? null : Number(reply);
}

export async function bufferProgress(redis: Redis, profileId: string, item: { contentId: string; episodeId: string | null }, value: Buffered): Promise<void> {
  const p = redis.pipeline();
  p.hset(live(profileId), { [itemKey(item.contentId, item.episodeId)]: JSON.stringify({ p: value.position, d: value.duration, t: value.t }) });
  p.expire(live(profileId), BUFFER_TTL_SECONDS);
  p.sadd(DIRTY, profileId);
  await p.exec();
}

/** Everything buffered for a profile (live wins over in-flight for the same item). */
export async function readBuffered(redis: Redis, profileId: string): Promise<Map<string, Buffered>> {
  const [flying, current] = (await redis.pipeline().hgetall(inflight(profileId)).hgetall(live(profileId)).exec()) as [Record<string, unknown> | null, Record<string, unknown> | null];
  const out = new Map<string, Buffered>();
  for (const source of [flying, current]) {
    for (const [field, raw] of Object.entries(source ?? {})) {
      const v = decode(raw);
      const prev = out.get(field);
      if (v && (!prev || prev.t <= v.t)) out.set(field, v);
    }
  }
  return out;
}

/** Forget buffered state for one item (remove from history, mark watched). */
export async function dropBuffered(redis: Redis, profileId: string, item: { contentId: string; episodeId: string | null }): Promise<void> {
  const field = itemKey(item.contentId, item.episodeId);
  await redis.pipeline().hdel(live(profileId), field).hdel(inflight(profileId), field).exec();
}

export async function dropAllBuffered(redis: Redis, profileId: string): Promise<void> {
  await redis.del(live(profileId), inflight(profileId));
}

// Each flush script starts here: false when the lock (KEYS[#KEYS]) is no
// longer ours (ARGV[1]), and the script changes nothing.
const OWN_LOCK = `if redis.call('GET', KEYS[#KEYS]) ~= ARGV[1] then return false end`;

// KEYS: dirty, flushing, lock; ARGV: token, batch size. First returns to
// dirty what a dead or failed flush left picked, then moves a batch of ids
// from dirty to flushing in the same step: no moment where a profile with
// something to flush is in neither set.
const PICK = `${OWN_LOCK}
local dirty, flushing = KEYS[1], KEYS[2]
for _, id in ipairs(redis.call('SMEMBERS', flushing)) do redis.call('SADD', dirty, id) end
redis.call('DEL', flushing)
local ids = redis.call('SPOP', dirty, tonumber(ARGV[2]))
for _, id in ipairs(ids) do redis.call('SADD', flushing, id) end
return ids`;

// For each profile (KEYS in pairs: live, in-flight; then the lock): moves the
// live buffer into the in-flight hash (merging into what a failed or dead
// flush left there: live entries are the newer ones) and returns it. One
// script for a whole batch of profiles, so a flush costs the same few round
// trips (and Worker subrequests) for ten profiles or a thousand.
const TAKE = `${OWN_LOCK}
local out = {}
for i = 1, #KEYS - 1, 2 do
  local live, flying = KEYS[i], KEYS[i + 1]
  if redis.call('EXISTS', live) == 1 then
    if redis.call('EXISTS', flying) == 0 then
      redis.call('RENAME', live, flying)
    else
      local kv = redis.call('HGETALL', live)
      for j = 1, #kv, 2 do redis.call('HSET', flying, kv[j], kv[j + 1]) end
      redis.call('DEL', live)
    end
  end
  redis.call('EXPIRE', flying, ${BUFFER_TTL_SECONDS})
  out[#out + 1] = redis.call('HGETALL', flying)
end
return out`;

// After the write committed (KEYS: the in-flight keys, flushing, lock; ARGV:
// token, then the profile ids): the batch is done.
const COMMIT = `${OWN_LOCK}
for i = 1, #KEYS - 2 do redis.call('DEL', KEYS[i]) end
for i = 2, #ARGV do redis.call('SREM', KEYS[#KEYS - 1], ARGV[i]) end
return 1`;

const pairs = (ids: readonly string[]) => ids.flatMap((id) => [live(id), inflight(id)]);

export interface FlushResult {
  profiles: number;
  entries: number;
  written: number;
  /** Batches of up to `batchSize` profiles, each one Postgres statement. */
  batches: number;
  /** locked: another flush runs. lock_lost: this run outlived its lock and stopped; the next run carries on. */
  skipped?: 'locked' | 'lock_lost';
}

export interface FlushOptions {
  redis: Redis;
  db: Db;
  completeRatio: number;
  /** Profiles per batch (one TAKE script, one upsert). */
  batchSize?: number;
  /** Batches per run: a run takes about 4 subrequests per batch. */
  maxBatches?: number;
  lockSeconds?: number;
}

/**
 * One flush run: batches of dirty profiles into Postgres, one statement per
 * batch, until the dirty set is drained or `maxBatches` ran (the next run
 * carries on). Throws when Postgres or Redis fails; the failed batch stays
 * picked for the next run, batches before it stay written.
 */
export async function flushBufferedProgress(deps: FlushOptions): Promise<FlushResult> {
  const { redis } = deps;
  const batchSize = deps.batchSize ?? 1_000;
  const maxBatches = deps.maxBatches ?? 40;
  const token = crypto.randomUUID();
  const locked = await redis.set(LOCK, token, { nx: true, ex: deps.lockSeconds ?? 55 });
  if (locked !== 'OK') return { profiles: 0, entries: 0, written: 0, batches: 0, skipped: 'locked' };
  const total: FlushResult = { profiles: 0, entries: 0, written: 0, batches: 0 };
  try {
    while (total.batches < maxBatches) {
      const done = await flushBatch(deps, token, batchSize);
      if (done === 'lock_lost') return { ...total, skipped: 'lock_lost' };
      total.batches++;
      total.profiles += done.profiles;
      total.entries += done.entries;
      total.written += done.written;
      if (done.profiles < batchSize) break;
    }
    return total;
  } finally {
    // Only our own lock: a flush that outlived its lock must not free the next one's.
    await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, [LOCK], [token]).catch(() => undefined);
  }
}

async function flushBatch(deps: FlushOptions, token: string, batchSize: number): Promise<{ profiles: number; entries: number; written: number } | 'lock_lost'> {
  const { redis } = deps;
  const ids = (await redis.eval(PICK, [DIRTY, FLUSHING, LOCK], [token, String(batchSize)])) as string[] | null;
  if (ids === null) return 'lock_lost';
  if (ids.length === 0) return { profiles: 0, entries: 0, written: 0 };
  const taken = (await redis.eval(TAKE, [...pairs(ids), LOCK], [token])) as unknown[][] | null;
  if (taken === null) return 'lock_lost';
  const entries: ProgressEntry[] = [];
  ids.forEach((profileId, i) => {
    const flat = taken[i] ?? [];
    for (let j = 0; j + 1 < flat.length; j += 2) {
      const v = decode(flat[j + 1]);
      if (v) entries.push({ profileId, ...parseItem(String(flat[j])), position: v.position, duration: v.duration, t: v.t });
    }
  });
  let written = 0;
  // A failed write throws with the batch still picked: the next PICK returns it to dirty.
  if (entries.length > 0) [{ written }] = (await deps.db.run(flushProgress(entries, deps.completeRatio))) as [{ written: number }];
  const committed = await redis.eval(COMMIT, [...ids.map(inflight), FLUSHING, LOCK], [token, ...ids]);
  if (committed === null) return 'lock_lost';
  return { profiles: ids.length, entries: entries.length, written };
}

function decode(raw: unknown): Buffered | undefined {
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { p, d, t } = v as Record<string, unknown>;
  if (typeof p !== 'number' || typeof d !== 'number' || typeof t !== 'number') return undefined;
  return { position: p, duration: d, t };
}
