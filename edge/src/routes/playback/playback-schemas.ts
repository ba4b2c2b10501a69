// Shared request and response schemas of the playback routes.
import { z } from '@hono/zod-openapi';

export const StreamSchema = z
  .object({
    playbackSessionId: z.uuid(),
    deviceName: z.string().nullable(),
    platform: z.string().nullable(),
    title: z.string().nullable(),
    startedAt: z.string(),
  })
  .openapi('ActiveStream');

export const PlaybackSessionIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '5d0c7c1e-8f3a-4b8e-9d51-2f0c3a9e7b11' }),
});
