// Password hashing: Argon2id in PHC string format,
//   $argon2id$v=19$m=19456,t=2,p=1$<salt b64>$<hash b64>
// The parameters travel with the hash, so raising them later only needs a
// rehash on the next successful sign-in (needsRehash).
//
// PASSWORD_PARAMS is OWASP ASVS 5 (V11.4.2) / the OWASP Password Storage Cheat
// Sheet's first Argon2id row: 19 MiB, 2 passes, 1 lane. One hash takes about
// 30-60 ms of CPU in workerd (measured in edge/test/password.test.ts).
import { loadArgon2id } from './argon2.ts';

export interface Argon2Params {
  /** Memory in KiB. */
  m: number;
  /** Passes. */
  t: number;
  /** Lanes. */
  p: number;
}

export const PASSWORD_PARAMS: Readonly<Argon2Params> = Object.freeze({ m: 19_456, t: 2, p: 1 });
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export async function hashPassword(password: string, params: Argon2Params = PASSWORD_PARAMS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, params, HASH_BYTES);
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

export interface VerifyResult {
  ok: boolean;
  /** The hash is valid but weaker than PASSWORD_PARAMS (or not argon2id): store a new one. */
  needsRehash: boolean;
}

/**
 * Compares in constant time. A missing or unparseable stored hash still costs
 * one full hash (against DUMMY_HASH), so "no such account", "no password set"
 * and "wrong password" take the same time.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<VerifyResult> {
  const parsed = stored ? parsePhc(stored) : undefined;
  const target = parsed ?? DUMMY;
  const actual = await derive(password, target.salt, target.params, target.hash.length);
  const equal = timingSafeEqual(actual, target.hash);
  if (!parsed) return { ok: false, needsRehash: false };
  return { ok: equal, needsRehash: equal && isWeaker(parsed.params, PASSWORD_PARAMS) };
}

export interface ParsedPhc {
  algorithm: 'argon2id';
  version: number;
  params: Argon2Params;
  salt: Uint8Array;
  hash: Uint8Array;
}

const PHC = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function parsePhc(phc: string): ParsedPhc | undefined {
  const m = PHC.exec(phc);
  if (!m) return undefined;
  const [version, mem, t, p] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  // Bounds keep a corrupted row from making us allocate gigabytes.
  if (version !== 19 || mem < 8 * p || mem > 262_144 || t < 1 || t > 10 || p < 1 || p > 8) return undefined;
  const salt = unb64(m[5]!);
  const hash = unb64(m[6]!);
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { algorithm: 'argon2id', version, params: { m: mem, t, p }, salt, hash };
}

export function isWeaker(a: Argon2Params, b: Argon2Params): boolean {
  return a.m < b.m || a.t < b.t || a.p !== b.p;
}

async function derive(password: string, salt: Uint8Array, params: Argon2Params, tagLength: number): Promise<Uint8Array> {
  const argon2id = await loadArgon2id();
  return argon2id({
    password: new TextEncoder().encode(password.normalize('NFKC')),
    salt,
    parallelism: params.p,
    passes: params.t,
    memorySize: params.m,
    tagLength,
  });
}

// A fixed, valid hash of an unguessable value with the current parameters:
// verifying against it costs exactly what a real verification costs.
const DUMMY: ParsedPhc = {
  algorithm: 'argon2id',
  version: 19,
  params: PASSWORD_PARAMS,
  salt: new Uint8Array(SALT_BYTES).fill(7),
  hash: new Uint8Array(HASH_BYTES).fill(1),
};

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

// PHC uses standard base64 without padding.
function b64(bytes: Uint8Array): string {
  let s = '';
  for (const byte of bytes) s += String.fromCharCode(byte);
  return btoa(s).replace(/=+$/, '');
}

function unb64(s: string): Uint8Array {
  const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
