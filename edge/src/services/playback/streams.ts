// Concurrent streams per plan: each playback session holds a lease in Redis.
//   pb:streams:{userId}  sorted set, member = playback session id, score = lease end (ms)
//   pb:stream-info:{userId} hash, session id -> JSON (device, title, started)
// Minting takes a lease in one Lua script (expired leases dropped, the one the
// viewer chose to stop removed, count checked, new lease added), so N+3
// concurrent mints at a limit of N leave exactly N. Progress heartbeats renew
// the lease; when they stop it runs out after STREAM_LEASE_SECONDS.
import type { Redis } from '../../lib/redis.ts';

export interface StreamInfo {
  playbackSessionId: string;
  deviceName: string | null;
  platform: string | null;
  title: string | null;
  startedAt: string;
}

const streamsKey = (userId: string) => `pb:streams:${userId}`;
const infoKey = (userId: string) => `pb:stream-info:${userId}`;

// Returns {1} when the lease was taken, else {0, id1, info1, id2, info2, ...}
// (a flat list: the active streams to choose from).
const ACQUIRE = `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('HDEL', KEYS[2], unpack(expired))
end
if ARGV[6] ~= '' and redis.call('ZREM', KEYS[1], ARGV[6]) == 1 then
  redis.call('HDEL', KEYS[2], ARGV[6])
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local out = {0}
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    table.insert(out, id)
    table.insert(out, redis.call('HGET', KEYS[2], id) or '{}')
  end
  return out
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
redis.call('PEXPIRE', KEYS[1], lease * 2)
redis.call('PEXPIRE', KEYS[2], lease * 2)
return {1}`;

// 1 = renewed; 0 = no such live lease (stopped from another device, or run out).
const RENEW = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[3])
if not score or tonumber(score) <= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) * 2)
return 1`;

export type AcquireResult = { ok: true } | { ok: false; active: StreamInfo[] };

export async function acquireStream(
  redis: Redis,
  input: { userId: string; playbackSessionId: string; limit: number; leaseSeconds: number; info: Omit<StreamInfo, 'playbackSessionId'>; replace?: string },
): Promise<AcquireResult> {
  const reply = (await redis.eval(
    ACQUIRE,
    [streamsKey(input.userId), infoKey(input.userId)],
    [String(Date.now()), String(input.leaseSeconds * 1000), String(input.limit), input.playbackSessionId, JSON.stringify(input.info), input.replace ?? ''],
  )) as unknown[];
  if (Number(reply[0]) === 1) return { ok: true };
  const active: StreamInfo[] = [];
  for (let i = 1; i + 1 < reply.length; i += 2) active.push({ ...parseInfo(reply[i + 1]), playbackSessionId: String(reply[i]) });
  return { ok: false, active };
}

/** Renews a lease on a progress heartbeat; false when the stream was stopped or ran out. */
export async function renewStream(redis: Redis, input: { userId: string; playbackSessionId: string; leaseSeconds: number }): Promise<boolean> {
  const reply = await redis.eval(RENEW, [streamsKey(input.userId), infoKey(input.userId)], [String(Date.now()), String(input.leaseSeconds * 1000), input.playbackSessionId]);
  return Number(reply) === 1;
}

/** Ends a stream of the user (a no-op for an unknown or someone else's id: the key is per user). */
export async function stopStream(redis: Redis, userId: string, playbackSessionId: string): Promise<boolean> {
  const [removed] = (await redis.multi().zrem(streamsKey(userId), playbackSessionId).hdel(infoKey(userId), playbackSessionId).exec()) as [number, number];
  return removed === 1;
}

export async function listStreams(redis: Redis, userId: string): Promise<StreamInfo[]> {
  const ids = (await redis.zrange(streamsKey(userId), Date.now(), '+inf', { byScore: true })) as string[];
  if (ids.length === 0) return [];
  const infos = (await redis.hmget(infoKey(userId), ...ids)) as Record<string, unknown> | null;
  return ids.map((id) => ({ ...parseInfo(infos?.[id]), playbackSessionId: id }));
}

function parseInfo(raw: unknown): Omit<StreamInfo, 'playbackSessionId'> {
  const fallback = { deviceName: null, platform: null, title: null, startedAt: new Date(0).toISOString() };
  if (typeof raw === 'object' && raw !== null) return { ...fallback, ...(raw as object) };
  if (typeof raw !== 'string') return fallback;
  try {
    return { ...fallback, ...(JSON.parse(raw) as object) };
  } catch {
    return fallback;
  }
}
