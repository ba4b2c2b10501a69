// The edge enqueues background work in the same Neon HTTP transaction as its own
// row changes: both land or neither does, and the pg-boss job carries its
// queue's retry/expiry/heartbeat policy (db/queues.ts), ready for a worker.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { QUEUES } from '../../db/queues.ts';
import { enqueueJob } from '../../db/sql/jobs.ts';
import { sql } from '../../db/sql/statement.ts';
import { parseConfig } from '../src/env.ts';
import { createDb } from '../src/lib/db.ts';

function testDb() {
  const postgres = parseConfig(env).postgres;
  if (!postgres.ok) throw new Error('test bindings lack a usable DATABASE_URL');
  return createDb(postgres.value);
}

function newMovieAndAsset() {
  const movieId = crypto.randomUUID();
  const assetId = crypto.randomUUID();
  return {
    movieId,
    assetId,
    statements: [
      sql(`INSERT INTO content (id, type, original_language) VALUES ($1, 'movie', 'fa')`, [movieId]),
      sql(
        `INSERT INTO video_assets (id, movie_id, status, source_key, source_size_bytes, source_content_type)
         VALUES ($1, $2, 'queued', $3, 1048576, 'video/mp4')`,
        [assetId, movieId, `sources/${assetId}/v1/source.mp4`],
      ),
    ],
  };
}

interface PgBossJobRow {
  name: string;
  state: string;
  data: { type: string; payload: unknown };
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireSeconds: number;
  heartbeatSeconds: number | null;
}

const readPgBossJob = (id: string) =>
  sql<PgBossJobRow>(
    `SELECT name, state, data, retry_limit AS "retryLimit", retry_delay AS "retryDelay",
            retry_backoff AS "retryBackoff", expire_seconds AS "expireSeconds", heartbeat_seconds AS "heartbeatSeconds"
     FROM pgboss.job WHERE id = $1::uuid`,
    [id],
  );

describe('enqueueing from the edge over Neon HTTP', () => {
  it('commits the asset row, our jobs row and the pg-boss job in one transaction, with the queue policy', async () => {
    const db = testDb();
    const { assetId, statements } = newMovieAndAsset();
    const jobId = crypto.randomUUID();
    await db.batch([
      ...statements,
      ...enqueueJob({ id: jobId, queue: 'transcode', type: 'transcode', subjectType: 'video_asset', subjectId: assetId, data: { assetId, version: 1 } }),
    ]);

    const [asset] = await db.run(sql<{ status: string }>('SELECT status FROM video_assets WHERE id = $1', [assetId]));
    expect(asset).toEqual({ status: 'queued' });
    const [job] = await db.run(sql<{ status: string; subject_id: string }>('SELECT status, subject_id FROM jobs WHERE id = $1', [jobId]));
    expect(job).toEqual({ status: 'queued', subject_id: assetId });

    const [boss] = await db.run(readPgBossJob(jobId));
    const policy = QUEUES.transcode;
    expect(boss).toEqual({
      name: 'transcode',
      state: 'created',
      data: { type: 'transcode', payload: { assetId, version: 1 } },
      retryLimit: policy.retryLimit,
      retryDelay: policy.retryDelay,
      retryBackoff: policy.retryBackoff,
      expireSeconds: policy.expireInSeconds,
      heartbeatSeconds: policy.heartbeatSeconds,
    });
  });

  it('leaves nothing behind when a later statement of the batch fails', async () => {
    const db = testDb();
    const { movieId, assetId, statements } = newMovieAndAsset();
    const jobId = crypto.randomUUID();
    const failing = sql(`UPDATE video_assets SET progress = 101 WHERE id = $1`, [assetId]); // violates the 0-100 CHECK
    await expect(
      db.batch([
        ...statements,
        ...enqueueJob({ id: jobId, queue: 'transcode', type: 'transcode', subjectType: 'video_asset', subjectId: assetId, data: { assetId } }),
        failing,
      ]),
    ).rejects.toMatchObject({ code: '23514' });

    expect(await db.run(sql('SELECT 1 FROM content WHERE id = $1', [movieId]))).toEqual([]);
    expect(await db.run(sql('SELECT 1 FROM jobs WHERE id = $1', [jobId]))).toEqual([]);
    expect(await db.run(readPgBossJob(jobId))).toEqual([]);
  });
});
