// POST /playback: mint a playback session (tokenized HLS/DASH URLs).
import { createRoute, z } from '@hono/zod-openapi';
import { usable } from '../../env.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { mintPlayback } from '../../services/playback/mint-playback.ts';
import { bearerSecurity } from '../auth/schemas.ts';

export const PostPlaybackBody = z
  .object({
    contentId: z.uuid().openapi({ description: 'The movie or series.' }),
    episodeId: z.uuid().optional().openapi({ description: 'Required for a series (kind "main").' }),
    kind: z.enum(['main', 'trailer']).default('main').openapi({ description: '"trailer": the title’s trailer, free on every plan.' }),
    replacePlaybackSessionId: z.uuid().optional().openapi({
      description: 'At the stream limit: one of `details.streams[].playbackSessionId` from the 409 answer, to stop that stream and play here.',
    }),
  })
  .strict()
  .openapi('PlaybackRequest');

const SubtitleSchema = z.object({ lang: z.string(), label: z.string().nullable(), kind: z.string(), isDefault: z.boolean(), hls: z.url() });

export const PlaybackSessionSchema = z
  .object({
    playbackSessionId: z.uuid().openapi({ description: 'Send it with progress heartbeats: they keep the stream’s slot.' }),
    assetId: z.uuid(),
    version: z.number().int(),
    expiresAt: z.string().openapi({ description: 'When the URLs stop working; mint again to continue after that.' }),
    maxHeight: z.number().int().openapi({ description: 'The highest rendition (short side, px) the plan allows; the manifests list no more.' }),
    hls: z.url().openapi({ description: 'HLS master playlist.' }),
    dash: z.url().openapi({ description: 'DASH MPD over the same segments.' }),
    poster: z.url().nullable(),
    storyboard: z.url().nullable().openapi({ description: 'WebVTT thumbnails track (sprite sheets with #xywh) for scrubbing previews.' }),
    durationSeconds: z.number().nullable(),
    subtitles: z.array(SubtitleSchema),
    resumePositionSeconds: z.number().openapi({ description: 'Where this profile left off (0: from the start).' }),
    drm: z.object({ protected: z.boolean(), clearKeyLicenseUrl: z.url().optional() }),
  })
  .openapi('PlaybackSession');

export const postPlaybackRoute = createRoute({
  method: 'post',
  path: '/playback',
  tags: ['playback'],
  summary: 'Start playing a title',
  description:
    'Checks that the title is visible to the active profile, that the plan includes it (trailers are free), that this ' +
    'device is registered, and that the plan’s concurrent-stream limit has room; then answers tokenized URLs of the form ' +
    '`/media/{token}/{assetId}/...` (relative URIs inside the manifests inherit the token; no cookies). Above the ' +
    'stream limit: 409 with `details.reason: "stream_limit"` and the active streams; send `replacePlaybackSessionId` to ' +
    'stop one of them and play here.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PostPlaybackBody } } } },
  responses: {
    201: { description: 'Playback session.', content: { 'application/json': { schema: PlaybackSessionSchema } } },
    400: errorResponse('VALIDATION_FAILED: e.g. a series without episodeId.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: `subscription_required` (plan) or `device_not_registered`.'),
    404: errorResponse('NOT_FOUND: no such title or episode for this profile.'),
    409: errorResponse('CONFLICT: `stream_limit` (with the active streams) or `not_available` (not transcoded yet).'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPostPlayback(app: Router): void {
  app.openapi(postPlaybackRoute, async (c) => {
    const playback = usable(c.get('config').playback);
    const session = await mintPlayback(
      { db: c.get('services').db, redis: c.get('services').redis, playback, mediaBase: playback.mediaBaseUrl ?? new URL(c.req.url).origin, viewing: usable(c.get('config').viewing) },
      currentAuth(c),
      c.req.valid('json'),
    );
    return c.json(session, 201);
  });
}
