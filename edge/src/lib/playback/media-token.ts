// Media tokens: the capability in the path of every playback URL,
//   /media/{token}/{assetId}/master.m3u8
// so the relative playlist, segment, key and image URIs inside the manifests
// inherit it, and no player needs cookies or query-string rewriting.
//
// Format: `<kid>.<payload>.<signature>`, all base64url (path-safe, no '/'):
//   payload   = JSON { a: assetId, v: version, s: playbackSessionId, u: userId,
//                      h: max rung (short side, px), f: 1 when the version's
//                      outputs are final (ready/published), nbf, exp (unix s) }
//   signature = HMAC-SHA-256(key[kid], "<kid>.<payload>")
// Why HMAC and not a JWT with Ed25519 like access tokens: the edge both signs
// and verifies (no third party needs a public key), and this check runs on
// every segment request, where an HMAC verify is several times cheaper and the
// token stays short. Keys come from MEDIA_TOKEN_KEYS (JSON array of
// { kid, secret }, the first signs, all verify), so a rotation is "prepend the
// new key, wait the longest token lifetime, drop the old one".
import type { MediaTokenKey } from './config.ts';

export interface MediaGrant {
  assetId: string;
  version: number;
  playbackSessionId: string;
  userId: string;
  /** The largest rung (its short side: 480 = 480p) this viewer may fetch. */
  maxHeight: number;
  /**
   * The version was complete when the token was minted: its playlists never
   * change again and may be cached long. False while rungs are still joining.
   */
  final: boolean;
  /** Unix seconds. */
  notBefore: number;
  expiresAt: number;
}

/** Allowed difference between our clock and the minting isolate's. */
export const MEDIA_CLOCK_SKEW_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]{20,600})\.([A-Za-z0-9_-]{43})$/;

export interface MediaKeySet {
  signing: { kid: string; key: CryptoKey };
  byKid: Map<string, CryptoKey>;
}

/** Imports the configured keys (what the per-isolate cache below saves on every request). */
export async function importMediaKeys(keys: readonly MediaTokenKey[]): Promise<MediaKeySet> {
  const byKid = new Map<string, CryptoKey>();
  for (const k of keys) {
    byKid.set(k.kid, await crypto.subtle.importKey('raw', fromB64url(k.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']));
  }
  const first = keys[0]!;
  return { signing: { kid: first.kid, key: byKid.get(first.kid)! }, byKid };
}

// Imported keys per isolate, keyed by the secret's exact text. Safe as module
// state: derived only from that secret (no request data, no I/O object), and a
// rotated secret is a different string, so a different entry (at most two).
const keyCache = new Map<string, Promise<MediaKeySet>>();

export function mediaKeysFor(source: string, keys: readonly MediaTokenKey[]): Promise<MediaKeySet> {
  let entry = keyCache.get(source);
  if (!entry) {
    entry = importMediaKeys(keys);
    entry.catch(() => keyCache.delete(source));
    if (keyCache.size >= 2) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(source, entry);
  }
  return entry;
}

export async function signMediaToken(keys: MediaKeySet, grant: MediaGrant): Promise<string> {
  const payload = b64url(
    new TextEncoder().encode(
      JSON.stringify({ a: grant.assetId, v: grant.version, s: grant.playbackSessionId, u: grant.userId, h: grant.maxHeight, f: grant.final ? 1 : 0, nbf: grant.notBefore, exp: grant.expiresAt }),
    ),
  );
  const signed = `${keys.signing.kid}.${payload}`;
  const sig = await crypto.subtle.sign('HMAC', keys.signing.key, new TextEncoder().encode(signed));
  return `${signed}.${b64url(new Uint8Array(sig))}`;
}

/**
 * The grant, or undefined for anything invalid: malformed, unknown kid, bad
 * signature (constant-time, by WebCrypto), not yet valid, expired, or a payload
 * of the wrong shape. Callers answer one bare 403 and never say which.
 */
export async function verifyMediaToken(keys: MediaKeySet, token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<MediaGrant | undefined> {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const [, kid, payload, sig] = m as unknown as [string, string, string, string];
  const key = keys.byKid.get(kid);
  if (!key) return undefined;
  let ok: boolean;
  try {
    ok = await crypto.subtle.verify('HMAC', key, fromB64url(sig), new TextEncoder().encode(`${kid}.${payload}`));
  } catch {
    return undefined;
  }
  if (!ok) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { a, v, s, u, h, f, nbf, exp } = claims;
  if (typeof a !== 'string' || !UUID.test(a) || typeof s !== 'string' || !UUID.test(s) || typeof u !== 'string' || !UUID.test(u)) return undefined;
  if (!Number.isInteger(v) || (v as number) < 1 || !Number.isInteger(h) || (h as number) < 1) return undefined;
  if (!Number.isInteger(nbf) || !Number.isInteger(exp) || (f !== 0 && f !== 1)) return undefined;
  if (nowSeconds + MEDIA_CLOCK_SKEW_SECONDS < (nbf as number) || nowSeconds - MEDIA_CLOCK_SKEW_SECONDS >= (exp as number)) return undefined;
  return { assetId: a, version: v as number, playbackSessionId: s, userId: u, maxHeight: h as number, final: f === 1, notBefore: nbf as number, expiresAt: exp as number };
}

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
