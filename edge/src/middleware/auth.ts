// requireAuth(): a valid access token (Authorization: Bearer) whose session is
// not on the revocation list; puts the token's claims (user, session, role, profile, its maturity cap, tier) on
// c.get('auth'). optionalAuth(): the same when a token is sent, anonymous when not.
// requireRole(): after requireAuth, only for the given roles.
//
// Every failure answers the same 401 (no hint about which check failed), with
// WWW-Authenticate as RFC 6750 asks.
import type { Context, MiddlewareHandler } from 'hono';
import { verifyAccessToken, type AccessClaims, type Role } from '../lib/auth/access-token.ts';
import { authConfig } from '../lib/auth/context.ts';
import { isSessionRevoked } from '../lib/auth/revocation.ts';
import { ApiError } from '../lib/errors.ts';
import type { AppEnv } from '../types.ts';

export type AuthContext = AccessClaims;

const unauthorized = () =>
  new ApiError('UNAUTHORIZED', 'A valid access token is required', {
    headers: { 'WWW-Authenticate': 'Bearer realm="irdnl", error="invalid_token"' },
  });

export function requireAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await authenticate(c, c.req.header('Authorization') ?? '');
    await next();
  };
}

/**
 * For public routes that personalise when signed in (catalog reads): no
 * Authorization header leaves c.get('auth') unset; a header that is present must
 * be valid (a broken or expired token is a 401, never a silent downgrade to
 * anonymous, which would hide a kids profile's cap).
 */
export function optionalAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization');
    if (header !== undefined) await authenticate(c, header);
    await next();
  };
}

async function authenticate(c: Context<AppEnv>, header: string): Promise<void> {
  const match = /^Bearer ([A-Za-z0-9_.-]{20,4096})$/.exec(header);
  if (!match) throw unauthorized();
  const config = authConfig(c);
  const claims = await verifyAccessToken(config, match[1]!);
  if (!claims) throw unauthorized();
  let revoked: boolean;
  try {
    revoked = await isSessionRevoked(c.get('services').redis, claims.sessionId, config.revocationCacheMs);
  } catch (err) {
    // Fail closed: without the list a disabled account's token would pass.
    throw new ApiError('UNAVAILABLE', 'Cannot check the session right now; try again', { cause: err });
  }
  if (revoked) throw unauthorized();
  const { issuedAt: _issuedAt, ...auth } = claims;
  c.set('auth', auth);
}

export function requireRole(...roles: Exclude<Role, 'viewer'>[]): MiddlewareHandler<AppEnv> {
  // admin can do whatever editor can.
  const allowed = new Set<Role>(roles.includes('editor') ? [...roles, 'admin'] : roles);
  return async (c, next) => {
    const auth = c.get('auth');
    if (!auth) throw unauthorized();
    if (!allowed.has(auth.role)) throw new ApiError('FORBIDDEN', `This needs the ${roles.join(' or ')} role`);
    await next();
  };
}

/** c.get('auth') on a route behind requireAuth(). */
export function currentAuth(c: Context<AppEnv>): AuthContext {
  const auth = c.get('auth');
  if (!auth) throw new Error('currentAuth() on a route without requireAuth()');
  return auth;
}
