// Editors' uploads (issue 5, edge side): presigned multipart straight to the
// bucket (the real s3rver), resume, complete -> queued + job in one batch,
// abort, replace source, limits, roles; then asset and job admin.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, signInAs, testDb } from './auth-helpers.ts';
import { call, expectEnvelope } from './helpers.ts';
import { testStore } from './media-helpers.ts';
import { movie } from './playback-helpers.ts';

const MiB = 1024 * 1024;
interface Session {
  assetId: string;
  version: number;
  status: string;
  partSize: number;
  partCount: number;
  uploadedParts: { partNumber: number; etag: string }[];
  parts: { partNumber: number; url: string }[];
}

async function putPart(url: string, bytes: Uint8Array): Promise<string> {
  const res = await fetch(url, { method: 'PUT', body: bytes });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get('ETag')!;
}

const bytesOf = (n: number, seed: number) => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);

async function newMovieUpload(token: string, sizeBytes: number): Promise<{ contentId: string; session: Session }> {
  const { contentId } = await movie({ video: 'none' });
  const res = await api('/admin/uploads', { token, body: { owner: { kind: 'movie', contentId }, filename: 'film.mp4', sizeBytes, contentType: 'video/mp4' } });
  expect(res.status).toBe(201);
  return { contentId, session: (await res.json()) as Session };
}

describe('source uploads', () => {
  it('uploads in presigned parts, resumes, and completes into a queued asset with its job, once', async () => {
    const editor = await signInAs('editor');
    const size = 17 * MiB;
    const { contentId, session } = await newMovieUpload(editor.accessToken, size);
    expect(session).toMatchObject({ version: 1, status: 'uploading', partSize: 16 * MiB, partCount: 2 });
    expect(session.parts.map((p) => p.partNumber)).toEqual([1, 2]);

    const body = bytesOf(size, 7);
    const etag1 = await putPart(session.parts[0]!.url, body.subarray(0, 16 * MiB));
    // The connection drops: resume lists part 1 and offers a fresh URL for part 2 only.
    const resumed = (await (await api(`/admin/uploads/${session.assetId}`, { token: editor.accessToken })).json()) as Session;
    expect(resumed.uploadedParts.map((p) => p.partNumber)).toEqual([1]);
    expect(resumed.parts.map((p) => p.partNumber)).toEqual([2]);
    const etag2 = await putPart(resumed.parts[0]!.url, body.subarray(16 * MiB));

    const complete = (parts: unknown) => api(`/admin/uploads/${session.assetId}/complete`, { token: editor.accessToken, body: { parts } });
    await expectEnvelope(await complete([{ partNumber: 1, etag: etag1 }]), 400, 'VALIDATION_FAILED');
    const wrong = await expectEnvelope(await complete([{ partNumber: 1, etag: etag1 }, { partNumber: 2, etag: '"nope"' }]), 409, 'CONFLICT');
    expect(wrong.error.details).toMatchObject({ reason: 'parts_missing', parts: [2] });

    const done = await complete([{ partNumber: 1, etag: etag1 }, { partNumber: 2, etag: etag2 }]);
    expect(done.status).toBe(200);
    const first = (await done.json()) as { status: string; jobId: string };
    expect(first.status).toBe('queued');
    const again = (await (await complete([{ partNumber: 1, etag: etag1 }, { partNumber: 2, etag: etag2 }])).json()) as { status: string; jobId: string | null };
    expect(again).toMatchObject({ status: 'queued', jobId: null });

    const db = testDb();
    const [asset] = await db.run(sql<{ status: string; movieId: string; sourceKey: string }>(`SELECT status, movie_id AS "movieId", source_key AS "sourceKey" FROM video_assets WHERE id = $1`, [session.assetId]));
    expect(asset).toMatchObject({ status: 'queued', movieId: contentId, sourceKey: `uploads/${session.assetId}/v1/source` });
    const jobs = await db.run(sql<{ id: string; status: string }>(`SELECT id, status FROM jobs WHERE subject_id = $1`, [session.assetId]));
    expect(jobs).toEqual([{ id: first.jobId, status: 'queued' }]);
    const [boss] = await db.run(sql<{ data: unknown }>(`SELECT data FROM pgboss.job WHERE id = $1`, [first.jobId]));
    expect(boss!.data).toEqual({ type: 'transcode', payload: { assetId: session.assetId, version: 1 } });
    // The bytes are in the bucket as one object.
    const stored = await testStore().get(asset!.sourceKey);
    expect(new Uint8Array(await new Response(stored!.body).arrayBuffer())).toEqual(body);
  });

  it('refuses oversize, wrong types, bad owners and viewers before anything is created', async () => {
    const editor = await signInAs('editor');
    const { contentId } = await movie({ video: 'none' });
    const start = (body: Record<string, unknown>, token = editor.accessToken) => api('/admin/uploads', { token, body: { filename: 'f.mp4', contentType: 'video/mp4', sizeBytes: MiB, owner: { kind: 'movie', contentId }, ...body } });
    await expectEnvelope(await start({ sizeBytes: 60 * 1024 ** 3 }), 413, 'PAYLOAD_TOO_LARGE');
    await expectEnvelope(await start({ contentType: 'application/pdf' }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await start({ assetId: crypto.randomUUID() }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await start({ owner: { kind: 'movie', contentId: crypto.randomUUID() } }), 409, 'CONFLICT');
    await expectEnvelope(await start({ owner: { kind: 'movie', contentId }, extra: 1 }), 400, 'VALIDATION_FAILED');
    const viewer = await signInAs('viewer');
    await expectEnvelope(await start({}, viewer.accessToken), 403, 'FORBIDDEN');
    const [count] = await testDb().run(sql<{ n: number }>(`SELECT count(*)::int AS n FROM video_assets WHERE movie_id = $1`, [contentId]));
    expect(count!.n).toBe(0);
    // A movie has one video: a second upload for it is refused while the first exists.
    expect((await start({})).status).toBe(201);
    await expectEnvelope(await start({}), 409, 'CONFLICT');
  });

  it('aborts: a new asset disappears; a replacement goes back to the published version', async () => {
    const editor = await signInAs('editor');
    const { session } = await newMovieUpload(editor.accessToken, MiB);
    expect((await api(`/admin/uploads/${session.assetId}`, { method: 'DELETE', token: editor.accessToken })).status).toBe(204);
    await expectEnvelope(await api(`/admin/uploads/${session.assetId}`, { token: editor.accessToken }), 404, 'NOT_FOUND');
    expect(await testDb().run(sql(`SELECT 1 FROM video_assets WHERE id = $1`, [session.assetId]))).toEqual([]);

    // A published asset gets a new source: version 2 uploads while version 1 keeps playing.
    const title = await movie();
    const replace = await api('/admin/uploads', { token: editor.accessToken, body: { assetId: title.assetId, filename: 'v2.mov', sizeBytes: MiB, contentType: 'video/quicktime' } });
    expect(replace.status).toBe(201);
    const v2 = (await replace.json()) as Session;
    expect(v2).toMatchObject({ assetId: title.assetId, version: 2, status: 'uploading' });
    const state = () => testDb().run(sql<{ version: number; status: string; published: number }>(`SELECT version, status, published_version AS published FROM video_assets WHERE id = $1`, [title.assetId]));
    expect(await state()).toEqual([{ version: 2, status: 'uploading', published: 1 }]);
    // One replacement at a time.
    await expectEnvelope(await api('/admin/uploads', { token: editor.accessToken, body: { assetId: title.assetId, filename: 'v3.mov', sizeBytes: MiB, contentType: 'video/quicktime' } }), 409, 'CONFLICT');
    expect((await api(`/admin/uploads/${title.assetId}`, { method: 'DELETE', token: editor.accessToken })).status).toBe(204);
    expect(await state()).toEqual([{ version: 1, status: 'ready', published: 1 }]);
  });
});

describe('asset and job admin', () => {
  it('lists assets and jobs, shows one asset, retries a failed transcode and cancels a queued one', async () => {
    const editor = await signInAs('editor');
    const size = MiB;
    const { session } = await newMovieUpload(editor.accessToken, size);
    const etag = await putPart(session.parts[0]!.url, bytesOf(size, 3));
    const { jobId } = (await (await api(`/admin/uploads/${session.assetId}/complete`, { token: editor.accessToken, body: { parts: [{ partNumber: 1, etag }] } })).json()) as { jobId: string };

    const listed = (await (await api('/admin/assets?status=queued&limit=100', { token: editor.accessToken })).json()) as { assets: { id: string }[] };
    expect(listed.assets.map((a) => a.id)).toContain(session.assetId);
    const detail = (await (await api(`/admin/assets/${session.assetId}`, { token: editor.accessToken })).json()) as { status: string; versions: { version: number }[]; jobs: { id: string }[] };
    expect(detail).toMatchObject({ status: 'queued', versions: [{ version: 1 }], jobs: [{ id: jobId }] });
    const jobs = (await (await api(`/admin/jobs?subjectId=${session.assetId}`, { token: editor.accessToken })).json()) as { jobs: { id: string; status: string; attempts: number }[] };
    expect(jobs.jobs).toEqual([expect.objectContaining({ id: jobId, status: 'queued', attempts: 0 })]);
    await expectEnvelope(await api('/admin/jobs?cursor=garbage', { token: editor.accessToken }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api('/admin/assets?limit=1000', { token: editor.accessToken }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api(`/admin/jobs/${jobId}/retry`, { method: 'POST', token: editor.accessToken }), 409, 'CONFLICT');

    // The worker fails it (as it would for a broken source).
    const db = testDb();
    await db.batch([
      sql(`UPDATE pgboss.job SET state = 'failed', completed_on = now() WHERE id = $1`, [jobId]),
      sql(`UPDATE jobs SET status = 'failed', attempts = 1, error = 'InvalidSourceError: not a video', finished_at = now(), started_at = now() WHERE id = $1`, [jobId]),
      sql(`UPDATE video_assets SET status = 'failed', failure_reason = 'the source is not a readable video file' WHERE id = $1`, [session.assetId]),
    ]);
    const retried = await api(`/admin/jobs/${jobId}/retry`, { method: 'POST', token: editor.accessToken });
    expect(retried.status).toBe(202);
    const { jobId: second } = (await retried.json()) as { jobId: string };
    expect((await db.run(sql<{ status: string }>(`SELECT status FROM video_assets WHERE id = $1`, [session.assetId])))[0]!.status).toBe('queued');
    await expectEnvelope(await api(`/admin/jobs/${jobId}/retry`, { method: 'POST', token: editor.accessToken }), 409, 'CONFLICT');

    expect((await api(`/admin/jobs/${second}/cancel`, { method: 'POST', token: editor.accessToken })).status).toBe(204);
    const [boss] = await db.run(sql<{ state: string }>(`SELECT state::text FROM pgboss.job WHERE id = $1`, [second]));
    expect(boss!.state).toBe('cancelled');
    expect((await db.run(sql<{ status: string }>(`SELECT status FROM video_assets WHERE id = $1`, [session.assetId])))[0]!.status).toBe('cancelled');
    await expectEnvelope(await api(`/admin/jobs/${second}/cancel`, { method: 'POST', token: editor.accessToken }), 409, 'CONFLICT');
    await expectEnvelope(await api(`/admin/jobs/${crypto.randomUUID()}/cancel`, { method: 'POST', token: editor.accessToken }), 404, 'NOT_FOUND');

    // Every action is in the audit log, by this editor.
    const actions = await db.run(sql<{ action: string }>(`SELECT action FROM audit_log WHERE actor_user_id = $1 ORDER BY at`, [editor.user.id]));
    expect(actions.map((a) => a.action)).toEqual(['video_asset.upload_start', 'video_asset.upload_complete', 'job.retry', 'job.cancel']);
    const viewer = await signInAs('viewer');
    await expectEnvelope(await api('/admin/assets', { token: viewer.accessToken }), 403, 'FORBIDDEN');
    await expectEnvelope(await api('/admin/jobs', { token: viewer.accessToken }), 403, 'FORBIDDEN');
  });

  it('takes WebVTT subtitles for the working version until it is transcoded', async () => {
    const editor = await signInAs('editor');
    const { session } = await newMovieUpload(editor.accessToken, MiB);
    // api() sends JSON; a subtitle is raw text/vtt.
    const put = (lang: string, body: string, query = '', token = editor.accessToken) =>
      call(`/api/v1/admin/assets/${session.assetId}/subtitles/${lang}${query}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/vtt', 'CF-Connecting-IP': '203.0.113.77' },
        body,
      });
    const vtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nسلام\n';
    const fa = await put('fa', vtt, '?label=%D9%81%D8%A7%D8%B1%D8%B3%DB%8C&default=true');
    expect(fa.status).toBe(200);
    expect(await fa.json()).toEqual({ version: 1, lang: 'fa', kind: 'subtitles', label: 'فارسی', isDefault: true });
    expect((await put('en', 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n', '?default=true')).status).toBe(200);
    const tracks = await testDb().run(sql<{ lang: string; isDefault: boolean }>(`SELECT lang, is_default AS "isDefault" FROM subtitle_tracks WHERE asset_id = $1 ORDER BY lang`, [session.assetId]));
    expect(tracks).toEqual([{ lang: 'en', isDefault: true }, { lang: 'fa', isDefault: false }]);

    await expectEnvelope(await put('fa', 'not a subtitle file'), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await put('farsi', vtt), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await put('fa', vtt, '?kind=karaoke'), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await put('fa', vtt, '', (await signInAs('viewer')).accessToken), 403, 'FORBIDDEN');
    await testDb().run(sql(`UPDATE video_assets SET status = 'processing', upload_id = NULL WHERE id = $1`, [session.assetId]));
    const late = await expectEnvelope(await put('fa', vtt), 409, 'CONFLICT');
    expect(late.error.details.reason).toBe('already_packaged');
  });
});
