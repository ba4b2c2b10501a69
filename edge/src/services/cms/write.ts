// Runs a CMS write batch: Postgres errors become clear envelopes (never SQL),
// and the catalog cache version is bumped after the commit so every cached
// read of the catalog is rebuilt.
import { CHANGED_CONCURRENTLY, getContentSnapshot, NO_SUCH_EPISODE, NO_SUCH_SEASON, type ContentSnapshot } from '../../../../db/sql/cms.ts';
import type { Db, Statement } from '../../../../db/sql/statement.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Redis } from '../../lib/redis.ts';
import { bumpCatalogVersion } from '../catalog/cache.ts';

export interface CmsDeps {
  db: Db;
  redis: Redis;
  logger: Logger;
  actor: { actorId: string; requestId: string };
}

const UNIQUE: Record<string, [string, string]> = {
  content_slug_key: ['slug_taken', 'Another title already uses this slug'],
  seasons_number_unique: ['season_exists', 'This series already has a season with that number'],
  episodes_number_unique: ['episode_exists', 'This season already has an episode with that number'],
  genres_slug_key: ['genre_exists', 'A genre with this slug exists'],
};

function translate(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code === '23505') {
    const [reason, message] = UNIQUE[e.constraint ?? ''] ?? ['duplicate', 'That already exists'];
    return new ApiError('CONFLICT', message, { details: { reason } });
  }
  if (e?.code === '23514' && e.constraint === 'content_requires_fa_en') {
    return new ApiError('CONFLICT', 'A title needs its Persian and English translations before it is published or scheduled', { details: { reason: 'translations_required' } });
  }
  if (e?.code === '23514') return new ApiError('VALIDATION_FAILED', 'Invalid request: a value is out of range', { details: { reason: 'check', constraint: e.constraint } });
  if (e?.code === '23503') return new ApiError('CONFLICT', 'That parent does not exist or is of the wrong kind (seasons belong to series)', { details: { reason: 'parent' } });
  if (e?.message?.includes(CHANGED_CONCURRENTLY)) return new ApiError('CONFLICT', 'Someone else changed this title since you loaded it; reload and try again', { details: { reason: 'changed' } });
  if (e?.message?.includes(NO_SUCH_SEASON)) return new ApiError('NOT_FOUND', 'No such season');
  if (e?.message?.includes(NO_SUCH_EPISODE)) return new ApiError('NOT_FOUND', 'No such episode');
  if (e?.message?.includes('unknown genre')) return new ApiError('VALIDATION_FAILED', 'Invalid request: body.genres: unknown genre slug', { details: { issues: [{ path: 'body.genres', code: 'custom', message: 'unknown genre slug' }] } });
  return err;
}

export async function runCmsWrite(deps: CmsDeps, statements: Statement[]): Promise<unknown[][]> {
  let results: unknown[][];
  try {
    results = await deps.db.batch(statements);
  } catch (err) {
    throw translate(err);
  }
  // Cached reads expire within minutes anyway; a failed bump only delays the edit.
  await bumpCatalogVersion(deps.redis).catch((error: unknown) => deps.logger.warn('catalog cache version not bumped', { error }));
  return results;
}

export async function snapshotOf(deps: CmsDeps, contentId: string): Promise<ContentSnapshot> {
  const [row] = await deps.db.run(getContentSnapshot(contentId));
  if (!row?.snapshot) throw new ApiError('NOT_FOUND', 'No such title');
  return row.snapshot;
}
