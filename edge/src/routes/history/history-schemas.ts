// Shared schemas and dependencies of the watch-history routes.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { usable } from '../../env.ts';
import type { ViewingDeps } from '../../services/viewing/history.ts';
import type { AppEnv } from '../../types.ts';

export const HistoryItemSchema = z
  .object({
    contentId: z.uuid(),
    episodeId: z.uuid().nullable(),
    positionSeconds: z.number(),
    durationSeconds: z.number(),
    state: z.enum(['not_started', 'in_progress', 'watched']),
    resumeSeconds: z.number().openapi({ description: 'Where playback resumes: 0 below RESUME_MIN_PERCENT and once watched.' }),
    watchedAt: z.string(),
  })
  .openapi('HistoryItem');

export const ItemQuery = z
  .object({ contentId: z.uuid(), episodeId: z.uuid().optional() })
  .strict();

export function viewingDeps(c: Context<AppEnv>): ViewingDeps {
  return {
    // Lazy: the heartbeat's hot path never reaches Postgres, so it makes no client.
    get db() {
      return c.get('services').db;
    },
    redis: c.get('services').redis,
    viewing: usable(c.get('config').viewing),
    leaseSeconds: usable(c.get('config').playback).leaseSeconds,
  };
}
