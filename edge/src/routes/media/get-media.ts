// GET (and HEAD) /media/{token}/{assetId}/{path}: playlists, segments, subtitle
// and storyboard files of one playback session, for players (not part of the
// JSON API: documented in the README). Errors keep the JSON envelope but say
// nothing beyond "Forbidden" / "Not found".
import { getVersionKey } from '../../../../db/sql/drm.ts';
import { afterResponse } from '../../lib/background.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { mediaForbidden, requireMediaToken } from '../../middleware/media-token.ts';
import { deliverMedia } from '../../services/playback/deliver-media.ts';

export const MEDIA_ROUTE = '/media/:token/:assetId/*';

export function registerGetMedia(router: Router): void {
  router.get(MEDIA_ROUTE, requireMediaToken(), async (c) => {
    const grant = c.get('mediaGrant')!;
    // The raw path, not the decoded one: an encoded slash or dot must fail the
    // path check instead of being turned into a separator.
    const raw = new URL(c.req.url).pathname.split('/').slice(4).join('/');
    const outcome = await deliverMedia(
      {
        store: c.get('services').objectStore,
        cache: defaultCache(),
        afterResponse: (work) => afterResponse(c, work),
        onCacheError: (error) => c.get('logger').warn('media cache unavailable', { error }),
        keyIdOf: async () => (await c.get('services').db.run(getVersionKey(grant.assetId, grant.version)))[0]?.keyId ?? null,
      },
      grant,
      raw,
      c.req.header('Range'),
    );
    if (outcome.kind === 'forbidden') throw mediaForbidden();
    if (outcome.kind === 'not_found') throw new ApiError('NOT_FOUND', 'Not found');
    const res = outcome.response;
    res.headers.set('X-Cache', outcome.cache);
    // The token is in the URL: never let it leak to another site as a Referer.
    res.headers.set('Referrer-Policy', 'no-referrer');
    res.headers.set('X-Content-Type-Options', 'nosniff');
    return res;
  });
}

function defaultCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default;
}

