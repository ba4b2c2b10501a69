// requireMediaToken(): for /media/{token}/{assetId}/... routes. The token must
// verify (signature, kid, not-before, expiry) and be scoped to the asset in
// the path; the grant goes on c.get('mediaGrant'). Every failure is the same
// bare 403: a player gets nothing to probe with.
import type { MiddlewareHandler } from 'hono';
import { usable } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { mediaKeysFor, verifyMediaToken } from '../lib/playback/media-token.ts';
import type { AppEnv } from '../types.ts';

export const mediaForbidden = () => new ApiError('FORBIDDEN', 'Forbidden');

export function requireMediaToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = usable(c.get('config').playback);
    const keys = await mediaKeysFor(config.tokenKeysSource, config.tokenKeys);
    const grant = await verifyMediaToken(keys, c.req.param('token') ?? '');
    if (!grant || grant.assetId !== c.req.param('assetId')) throw mediaForbidden();
    c.set('mediaGrant', grant);
    await next();
  };
}
