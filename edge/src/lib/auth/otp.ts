// One-time codes: 6 digits from the CSPRNG, kept in Redis only as an
// HMAC-SHA256 (server secret) of purpose + recipient + code, under a key that
// is itself an HMAC of purpose + recipient (no phone or email in Redis keys).
// A code expires with its key (OTP_TTL_SECONDS, at most 10 minutes), is
// deleted by the verification that uses it, and is burned after MAX_TRIES
// wrong guesses. Check-and-consume is one Lua script, so two concurrent
// verifications cannot both use one code, and the comparison inside it is
// constant-time.
import type { Redis } from '../redis.ts';

export type OtpPurpose = 'sign_in' | 'password_reset';
export const OTP_DIGITS = 6;
export const OTP_MAX_TRIES = 5;

/** Per recipient and per client IP: how many sends per window. */
export const OTP_SEND_LIMITS = {
  recipientCooldown: { limit: 1, windowSeconds: 30 },
  recipientHourly: { limit: 5, windowSeconds: 3600 },
  ipHourly: { limit: 30, windowSeconds: 3600 },
} as const;

/** Uniform over 000000-999999: 32-bit draws above the last full block of 10^6 are redrawn. */
export function generateOtp(): string {
  const range = 10 ** OTP_DIGITS;
  const limit = Math.floor(2 ** 32 / range) * range;
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < limit) return String(buf[0]! % range).padStart(OTP_DIGITS, '0');
  }
}

export interface OtpStore {
  /** Stores a new code for the recipient (replacing any earlier one) and returns it. */
  issue(purpose: OtpPurpose, recipient: string): Promise<string>;
  /** True once for the right code; false for a wrong, expired, used or burned one. */
  consume(purpose: OtpPurpose, recipient: string, code: string): Promise<boolean>;
  /** The Redis key of a recipient's code (tests shorten its TTL with it). */
  keyFor(purpose: OtpPurpose, recipient: string): Promise<string>;
  /** Counts one send; returns the seconds to wait when a limit is reached, else 0. */
  throttleSend(recipient: string, ip: string): Promise<number>;
}

const ISSUE = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'tries', 0)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

// 1 = right code (deleted), 0 = wrong, -1 = wrong and burned, -2 = none.
const CONSUME = `
local stored = redis.call('HGET', KEYS[1], 'h')
if not stored then return -2 end
local given = ARGV[1]
local diff = 0
if #stored ~= #given then diff = 1 end
for i = 1, #stored do
  diff = bit.bor(diff, bit.bxor(string.byte(stored, i), string.byte(given, i) or 0))
end
if diff == 0 then
  redis.call('DEL', KEYS[1])
  return 1
end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if tries >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return -1
end
return 0`;

// KEYS: counters; ARGV: limit1, window1, limit2, window2, ... Checks every
// counter first and counts only when all allow, so a refused send costs nothing.
const THROTTLE = `
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[i * 2 - 1]) then
    local ttl = redis.call('TTL', key)
    if ttl < 1 then ttl = 1 end
    return ttl
  end
end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, tonumber(ARGV[i * 2])) end
end
return 0`;

export function createOtpStore(redis: Redis, opts: { secret: string; ttlSeconds: number }): OtpStore {
  const mac = hmacFor(opts.secret);
  const keyFor = async (purpose: OtpPurpose, recipient: string) => `otp:${purpose}:${(await mac(`key\n${purpose}\n${recipient}`)).slice(0, 40)}`;
  const codeMac = (purpose: OtpPurpose, recipient: string, code: string) => mac(`code\n${purpose}\n${recipient}\n${code}`);

  return {
    keyFor,
    async issue(purpose, recipient) {
      const code = generateOtp();
      await redis.eval(ISSUE, [await keyFor(purpose, recipient)], [await codeMac(purpose, recipient, code), String(opts.ttlSeconds)]);
      return code;
    },
    async consume(purpose, recipient, code) {
      // The MAC binds the code to purpose and recipient: a code sent to one
      // phone (or for a reset) never verifies another phone (or a sign-in).
      const given = await codeMac(purpose, recipient, code);
      const outcome = await redis.eval(CONSUME, [await keyFor(purpose, recipient)], [given, String(OTP_MAX_TRIES)]);
      return Number(outcome) === 1;
    },
    async throttleSend(recipient, ip) {
      const r = (await mac(`throttle\n${recipient}`)).slice(0, 40);
      const l = OTP_SEND_LIMITS;
      const wait = await redis.eval(
        THROTTLE,
        [`otp-send:cool:${r}`, `otp-send:hour:${r}`, `otp-send:ip:${ip}`],
        [l.recipientCooldown, l.recipientHourly, l.ipHourly].flatMap((x) => [String(x.limit), String(x.windowSeconds)]),
      );
      return Number(wait);
    },
  };
}

function hmacFor(secret: string): (data: string) => Promise<string> {
  let key: Promise<CryptoKey> | undefined;
  return async (data) => {
    key ??= crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const sig = await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(data));
    return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, '0')).join('');
  };
}
