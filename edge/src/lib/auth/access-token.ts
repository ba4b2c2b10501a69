// Access tokens: short-lived JWTs signed with Ed25519 (JOSE alg "Ed25519",
// RFC 9864; the same curve older libraries call "EdDSA").
//
// Why Ed25519 rather than ES256: signatures are deterministic (no per-signature
// nonce whose reuse or bias leaks the key, the classic ECDSA failure), keys and
// signatures are small (32/64 bytes), there are no curve parameters to get
// wrong, and workerd's WebCrypto signs and verifies it natively. Only our own
// edge verifies these tokens, so no third-party verifier needs ES256.
//
// Keys come from the AUTH_SIGNING_KEYS secret: a JSON array of private JWKs
// with a `kid`. The first signs; every listed key verifies, so a rotation is
// "prepend the new key, wait one access-token lifetime, drop the old one".
import { importJWK, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { MaturityCap } from '../../../../db/sql/profiles.ts';
import { isTier, type Tier } from '../rate-limit-policy.ts';
import { ACCESS_TOKEN_ALG, type AuthConfig, type SigningJwk } from './config.ts';

export type Role = 'viewer' | 'editor' | 'admin';

export interface AccessClaims {
  userId: string;
  /** The refresh-token family: one sign-in on one device. */
  sessionId: string;
  role: Role;
  /** The active viewer profile, null until one is chosen. */
  profileId: string | null;
  /**
   * The active profile's maturity cap (highest content rating it may see), so
   * catalog reads filter a kids profile without a database lookup; null when
   * no profile is active (the account holder, no cap). A parent lowering a
   * cap applies from the next refresh or profile switch.
   */
  maturityCap: MaturityCap | null;
  /**
   * The subscription tier in force when the token was minted (the live
   * subscription's, else 'free'): what the per-user rate limits count at.
   * Carried in the token rather than looked up so that an authenticated
   * request costs no database query; a change of plan applies from the next
   * refresh, at most one access-token lifetime later. A token without the
   * claim (minted before it existed) counts as 'free'.
   */
  tier: Tier;
}

/** Allowed difference between our clock and the signer's. */
export const CLOCK_SKEW_SECONDS = 30;
const TOKEN_TYPE = 'at+jwt'; // RFC 9068: keeps an ID token or other JWT from passing as an access token

export interface KeySet {
  current: { kid: string; key: CryptoKey };
  byKid: Map<string, CryptoKey>;
  /**
   * Tokens this key set already verified, until they expire: a client sends
   * the same access token on every request for minutes, and checking its
   * signature once is enough (the result cannot change while the keys do
   * not; a rotated secret is a new KeySet with an empty map). Claims only,
   * bounded in size; revocation is still checked on every request.
   */
  verified: Map<string, { claims: AccessClaims & { issuedAt: number }; validUntil: number }>;
}

const VERIFIED_MAX_ENTRIES = 10_000;

// Imported keys, per isolate, keyed by the secret's exact text. Safe as module
// state: a CryptoKey is derived only from that secret (no request data, no I/O
// object), every request of the deployment sees the same secret, and a
// rotated secret is a different string and so a different entry. Importing
// once saves two WebCrypto imports on every authenticated request. The map
// keeps at most two entries (old and new secret during a rollout).
const keyCache = new Map<string, Promise<KeySet>>();

function keysFor(config: AuthConfig): Promise<KeySet> {
  let entry = keyCache.get(config.signingKeysSource);
  if (!entry) {
    entry = importKeys(config.signingKeys);
    entry.catch(() => keyCache.delete(config.signingKeysSource));
    if (keyCache.size >= 2) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(config.signingKeysSource, entry);
  }
  return entry;
}

/** Imports the configured JWKs (what the per-isolate cache saves; bench/playback.ts measures it). */
export async function importKeys(jwks: SigningJwk[]): Promise<KeySet> {
  const byKid = new Map<string, CryptoKey>();
  let current: KeySet['current'] | undefined;
  for (const jwk of jwks) {
    const { d: _private, ...publicJwk } = jwk;
    const verifyKey = (await importJWK({ ...publicJwk, alg: ACCESS_TOKEN_ALG }, ACCESS_TOKEN_ALG)) as CryptoKey;
    byKid.set(jwk.kid, verifyKey);
    if (!current) current = { kid: jwk.kid, key: (await importJWK({ ...jwk, alg: ACCESS_TOKEN_ALG }, ACCESS_TOKEN_ALG)) as CryptoKey };
  }
  return { current: current!, byKid, verified: new Map() };
}

export async function signAccessToken(config: AuthConfig, claims: AccessClaims, now = Date.now()): Promise<{ token: string; expiresIn: number }> {
  const { current } = await keysFor(config);
  const iat = Math.floor(now / 1000);
  const token = await new SignJWT({ sid: claims.sessionId, role: claims.role, pid: claims.profileId, mat: claims.maturityCap, tier: claims.tier })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, kid: current.kid, typ: TOKEN_TYPE })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(claims.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config.accessTokenTtl)
    .sign(current.key);
  return { token, expiresIn: config.accessTokenTtl };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLES = new Set<string>(['viewer', 'editor', 'admin']);
const MATURITY_CAPS = new Set<number>([0, 7, 12, 15, 18]);

/**
 * Verifies signature (pinned to Ed25519; `none`, HS256 and friends are
 * refused before any key is looked at), kid, typ, iss, aud, exp and iat with
 * at most CLOCK_SKEW_SECONDS of skew. Returns undefined for any invalid token:
 * callers answer one 401 and never tell an attacker which check failed.
 */
export async function verifyAccessToken(
  config: AuthConfig,
  token: string,
  keys: Promise<KeySet> = keysFor(config),
): Promise<(AccessClaims & { issuedAt: number }) | undefined> {
  const set = await keys;
  const { byKid } = set;
  const memoKey = `${config.issuer}\n${config.audience}\n${token}`;
  const seen = set.verified.get(memoKey);
  if (seen) {
    if (Math.floor(Date.now() / 1000) <= seen.validUntil) return seen.claims;
    set.verified.delete(memoKey);
    return undefined;
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        const key = header.kid === undefined ? undefined : byKid.get(header.kid);
        if (!key) throw new Error('unknown kid');
        return key;
      },
      {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: config.issuer,
        audience: config.audience,
        typ: TOKEN_TYPE,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'iat', 'sub', 'sid', 'role'],
        // A token can never live longer than the configured lifetime, whatever its exp says.
        maxTokenAge: config.accessTokenTtl + CLOCK_SKEW_SECONDS,
      },
    ));
  } catch {
    return undefined;
  }
  const { sub, sid, role, pid, mat, tier, iat } = payload as JWTPayload & { sid?: unknown; role?: unknown; pid?: unknown; mat?: unknown; tier?: unknown };
  if (typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) return undefined;
  if (typeof role !== 'string' || !ROLES.has(role)) return undefined;
  if (pid !== null && pid !== undefined && (typeof pid !== 'string' || !UUID.test(pid))) return undefined;
  if (tier !== undefined && !isTier(tier)) return undefined;
  if (mat !== null && mat !== undefined && !MATURITY_CAPS.has(mat as number)) return undefined;
  // A profile without the claim (minted before it existed) gets the strictest cap, never none.
  const maturityCap = pid ? ((mat as MaturityCap | null | undefined) ?? 0) : null;
  const claims = { userId: sub, sessionId: sid, role: role as Role, profileId: (pid as string | null | undefined) ?? null, maturityCap, tier: tier ?? 'free', issuedAt: iat! };
  // What jose accepted, as an instant: exp plus the skew, and never past the
  // configured lifetime from iat (its maxTokenAge, with the same tolerance).
  const validUntil = Math.min(payload.exp! + CLOCK_SKEW_SECONDS, iat! + config.accessTokenTtl + 2 * CLOCK_SKEW_SECONDS);
  if (set.verified.size >= VERIFIED_MAX_ENTRIES) set.verified.delete(set.verified.keys().next().value!);
  set.verified.set(memoKey, { claims, validUntil });
  return claims;
}
