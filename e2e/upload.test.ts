// The media pipeline through the public API (issue 5): the demo editor signs
// in, uploads a generated clip in presigned parts straight to the bucket,
// adds a Persian subtitle track, completes, and watches GET /admin/assets/{id} go queued -> processing ->
// playable -> ready while a real worker transcodes it (ffmpeg + Shaka Packager);
// the published version's master playlist names every rung.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertUser } from '../db/seed/statements.ts';
import { USERS } from '../db/seed/data.ts';
import type { EdgeServer } from '../bench/lib/edge-server.ts';
import { makeTempDir, openTestDb, type TestDb } from '../origin-worker/test/helpers/db.ts';
import { generateClip, masterEntries, testStore } from '../origin-worker/test/helpers/media.ts';
import { startTestEdge, startTranscodeWorker, type TranscodeWorker } from './helpers.ts';

let t: TestDb;
let edge: EdgeServer | undefined;
let worker: TranscodeWorker | undefined;

beforeAll(async () => {
  t = await openTestDb();
  worker = await startTranscodeWorker(t);
  edge = await startTestEdge(1, { TRANSCODE_QUEUE: worker.queue });
}, 120_000);
afterAll(async () => {
  await edge?.stop();
  await worker?.stop();
  await t?.close();
});

describe('upload to ready through the public API', () => {
  it('queued -> processing -> playable -> ready, with every rung in the published master', { timeout: 120_000 }, async () => {
    const editor = USERS.find((u) => u.role === 'editor')!;
    const s = upsertUser(editor);
    await t.pool.query(s.text, s.params as unknown[]);
    // The demo editor is on the free plan (one device); other test files sign it in too.
    await t.pool.query(`UPDATE devices SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [editor.id]);
    const { rows: [{ id: contentId }] } = await t.pool.query(`INSERT INTO content (type, original_language) VALUES ('movie', 'fa') RETURNING id`);

    const api = async (p: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
      const res = await fetch(`${edge!.url}/api/v1${p}`, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '198.51.100.7', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      return { status: res.status, body: (res.status === 204 ? null : await res.json()) as any };
    };
    const signIn = await api('/auth/password/sign-in', { body: { email: editor.email, password: 'demo-editor-password', device: { installId: 'e2e-editor-install', platform: 'web' } } });
    expect(signIn.status).toBe(200);
    const token = signIn.body.accessToken as string;

    const tmp = await makeTempDir();
    try {
      const clip = await generateClip(path.join(tmp.dir, 'clip.mp4'), { width: 640, height: 360, seconds: 6, audioLanguages: ['fas'] });
      const bytes = await readFile(clip);
      const started = await api('/admin/uploads', { token, body: { owner: { kind: 'movie', contentId }, filename: 'clip.mp4', sizeBytes: bytes.byteLength, contentType: 'video/mp4' } });
      expect(started.status).toBe(201);
      const { assetId, parts, partSize } = started.body as { assetId: string; partSize: number; parts: { partNumber: number; url: string }[] };
      const etags = [];
      for (const part of parts) {
        const res = await fetch(part.url, { method: 'PUT', body: bytes.subarray((part.partNumber - 1) * partSize, part.partNumber * partSize) });
        expect(res.status).toBe(200);
        etags.push({ partNumber: part.partNumber, etag: res.headers.get('ETag')! });
      }
      // A Persian subtitle track, uploaded by the editor before completing.
      const sub = await fetch(`${edge!.url}/api/v1/admin/assets/${assetId}/subtitles/fa?default=true`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/vtt', 'CF-Connecting-IP': '198.51.100.7' },
        body: 'WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nسلام\n',
      });
      expect(sub.status).toBe(200);
      const completed = await api(`/admin/uploads/${assetId}/complete`, { token, body: { parts: etags } });
      expect(completed.status).toBe(200);
      expect(completed.body.status).toBe('queued');

      const seen: string[] = ['queued'];
      const deadline = Date.now() + 90_000;
      for (;;) {
        const { body } = await api(`/admin/assets/${assetId}`, { token });
        if (seen.at(-1) !== body.status) seen.push(body.status);
        if (body.status === 'ready' || body.status === 'failed') break;
        if (Date.now() > deadline) throw new Error(`not ready in time: ${seen.join(' -> ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen[0]).toBe('queued');
      expect(seen).toContain('playable');
      expect(seen.at(-1)).toBe('ready');
      expect(seen.indexOf('playable')).toBeLessThan(seen.indexOf('ready'));

      // The job's own row is closed by the worker loop just after the asset went ready.
      let asset: any;
      for (let i = 0; i < 100; i++) {
        ({ body: asset } = await api(`/admin/assets/${assetId}`, { token }));
        if (asset.jobs[0]?.status === 'completed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(asset).toMatchObject({ status: 'ready', progress: 100, version: 1, publishedVersion: 1, failureReason: null });
      expect(asset.versions[0].renditions.map((r: { height: number }) => r.height)).toEqual([360, 240]);
      expect(asset.jobs[0]).toMatchObject({ status: 'completed', attempts: 1 });
      const store = testStore();
      try {
        const master = masterEntries(await store.getText(`assets/${assetId}/v1/master.m3u8`));
        expect(master.variants.map((v) => v.resolution).sort()).toEqual(['426x240', '640x360']);
        expect(master.media.filter((m) => m.type === 'SUBTITLES').map((m) => m.language)).toEqual(['fa']);
      } finally {
        store.destroy();
      }
    } finally {
      await tmp.remove();
    }
  });
});
