// Access-token verification: every forgery and misuse answers the same 401.
import { env } from 'cloudflare:workers';
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../src/lib/auth/access-token.ts';
import { api, authSettings, signInByPhone } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

const [localJwk] = JSON.parse(env.AUTH_SIGNING_KEYS) as (Record<string, string> & { kid: string })[];

async function localKey(): Promise<CryptoKey> {
  return (await importJWK({ ...localJwk!, alg: 'Ed25519' }, 'Ed25519')) as CryptoKey;
}

/** A token like ours, with chosen changes, signed with our real key unless told otherwise. */
async function craft(
  sub: string,
  sid: string,
  opts: { header?: Record<string, unknown>; claims?: Record<string, unknown>; omitExp?: boolean; exp?: number; iat?: number; aud?: string; iss?: string; key?: CryptoKey } = {},
): Promise<string> {
  const cfg = authSettings();
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ sid, role: 'viewer', pid: null, ...opts.claims })
    .setProtectedHeader({ alg: 'Ed25519', kid: localJwk!.kid, typ: 'at+jwt', ...opts.header } as any)
    .setIssuer(opts.iss ?? cfg.issuer)
    .setAudience(opts.aud ?? cfg.audience)
    .setSubject(sub)
    .setIssuedAt(opts.iat ?? now);
  if (!opts.omitExp) jwt.setExpirationTime(opts.exp ?? now + 300);
  return jwt.sign(opts.key ?? (await localKey()));
}

async function expectRefused(token: string): Promise<void> {
  const res = await api('/me', { token });
  const body = await expectEnvelope(res, 401, 'UNAUTHORIZED');
  expect(body.error.message).toBe('A valid access token is required');
}

describe('access token verification', () => {
  it('accepts a well-formed token of ours (the control case)', async () => {
    const s = await signInByPhone();
    expect((await api('/me', { token: await craft(s.user.id, s.sessionId) })).status).toBe(200);
  });

  it('refuses alg "none" (unsigned)', async () => {
    const s = await signInByPhone();
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: localJwk!.kid }));
    const now = Math.floor(Date.now() / 1000);
    const cfg = authSettings();
    const payload = base64url.encode(JSON.stringify({ sub: s.user.id, sid: s.sessionId, role: 'admin', iss: cfg.issuer, aud: cfg.audience, iat: now, exp: now + 300 }));
    await expectRefused(`${header}.${payload}.`);
    await expectRefused(`${header}.${payload}.${base64url.encode('x')}`);
  });

  it('refuses a wrong audience, a wrong issuer and a wrong typ', async () => {
    const s = await signInByPhone();
    await expectRefused(await craft(s.user.id, s.sessionId, { aud: 'some-other-api' }));
    await expectRefused(await craft(s.user.id, s.sessionId, { iss: 'https://evil.example' }));
    await expectRefused(await craft(s.user.id, s.sessionId, { header: { typ: 'JWT' } }));
  });

  it('refuses a token without exp', async () => {
    const s = await signInByPhone();
    await expectRefused(await craft(s.user.id, s.sessionId, { omitExp: true }));
  });

  it('refuses an expired token beyond the 30 s skew, accepts one within it', async () => {
    const s = await signInByPhone();
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await craft(s.user.id, s.sessionId, { iat: now - 400, exp: now - 60 }));
    expect((await api('/me', { token: await craft(s.user.id, s.sessionId, { iat: now - 300, exp: now - 10 }) })).status).toBe(200);
  });

  it('refuses a token that claims to live longer than the configured lifetime', async () => {
    const s = await signInByPhone();
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await craft(s.user.id, s.sessionId, { iat: now - 3600, exp: now + 3600 }));
  });

  it('refuses a token signed with an unknown kid, and a missing kid', async () => {
    const s = await signInByPhone();
    const { privateKey } = await generateKeyPair('Ed25519');
    await expectRefused(await craft(s.user.id, s.sessionId, { key: privateKey, header: { kid: 'attacker-key' } }));
    await expectRefused(await craft(s.user.id, s.sessionId, { header: { kid: undefined } }));
  });

  it('refuses a forged signature: another key under our kid, or a tampered payload', async () => {
    const s = await signInByPhone();
    const { privateKey } = await generateKeyPair('Ed25519');
    await expectRefused(await craft(s.user.id, s.sessionId, { key: privateKey }));

    const [h, p, sig] = s.accessToken.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    const tampered = base64url.encode(JSON.stringify({ ...claims, role: 'admin' }));
    await expectRefused(`${h}.${tampered}.${sig}`);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const s = await signInByPhone();
    const secret = new TextEncoder().encode(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: localJwk!.x }));
    const cfg = authSettings();
    const token = await new SignJWT({ sid: s.sessionId, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: localJwk!.kid, typ: 'at+jwt' })
      .setIssuer(cfg.issuer)
      .setAudience(cfg.audience)
      .setSubject(s.user.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    await expectRefused(token);
  });

  it('refuses malformed Authorization headers', async () => {
    for (const value of ['', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer not.a.jwt', 'bearer x']) {
      const res = await api('/me', { headers: { Authorization: value } });
      await expectEnvelope(res, 401, 'UNAUTHORIZED');
    }
  });
});

describe('key rotation', () => {
  it('signs with the first configured key and verifies with any configured key', async () => {
    const { privateKey } = await generateKeyPair('Ed25519', { extractable: true });
    const next = { ...(await exportJWK(privateKey)), kid: 'next-key' };
    const base = authSettings();
    const rotated = { ...base, signingKeys: [next as any, ...base.signingKeys], signingKeysSource: JSON.stringify([next, ...base.signingKeys]) };
    const claims = { userId: crypto.randomUUID(), sessionId: crypto.randomUUID(), role: 'viewer' as const, profileId: null, maturityCap: null, tier: 'free' as const };

    const { token: oldToken } = await signAccessToken(base, claims);
    const { token: newToken } = await signAccessToken(rotated, claims);
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(newToken.split('.')[0]!))).kid).toBe('next-key');
    // During the rollout both verify under the new configuration...
    expect(await verifyAccessToken(rotated, oldToken)).toMatchObject(claims);
    expect(await verifyAccessToken(rotated, newToken)).toMatchObject(claims);
    // ...and a deployment that does not know the new key refuses its tokens.
    expect(await verifyAccessToken(base, newToken)).toBeUndefined();
  });
});
