// The demo player end to end, in a real browser: a clip transcoded by the real
// origin-worker job (ffmpeg + Shaka Packager, in this process on a queue of its
// own), published as a movie; the edge under `wrangler dev` (workerd, as in
// production); Debian's Chromium driven by playwright-core signs in with the
// demo viewer on /watch, plays the movie through hls.js and tokenized /media
// URLs, and the video's currentTime really advances; after a pause (a progress
// heartbeat) and a reload it resumes where it stopped. A screenshot is kept in
// .data/test*/player.png.
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSubscription, upsertUser } from '../db/seed/statements.ts';
import { SUBSCRIPTIONS, USERS } from '../db/seed/data.ts';
import { enqueue, makeTempDir, openTestDb, waitFor, type TestDb } from '../origin-worker/test/helpers/db.ts';
import { generateClip, seedAsset, testStore } from '../origin-worker/test/helpers/media.ts';
import type { EdgeServer } from '../bench/lib/edge-server.ts';
import { stackDataName } from '../scripts/stack/ports.ts';
import { startTestEdge, startTranscodeWorker } from './helpers.ts';
import { ROOT } from '../scripts/stack/start.ts';

// `npm test` installs Debian's chromium when missing (scripts/ensure-setup.mjs --browser).
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let t: TestDb;
let edge: EdgeServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  t = await openTestDb();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await t?.close();
});

/** Transcodes a generated clip with the production job and publishes it as a movie; returns the content id. */
async function publishedMovie(opts: { drm?: boolean } = {}): Promise<string> {
  const store = testStore();
  const tmp = await makeTempDir();
  const worker = await startTranscodeWorker(t);
  try {
    const clip = await generateClip(path.join(tmp.dir, 'clip.mp4'), { width: 640, height: 360, seconds: 8, audioLanguages: ['eng'] });
    const asset = await seedAsset(t.pool, store, { file: clip });
    if (opts.drm) await t.pool.query(`UPDATE video_assets SET drm_protected = true WHERE id = $1`, [asset.assetId]);
    await enqueue(t.db, { queue: worker.queue, type: 'transcode', payload: { assetId: asset.assetId, version: 1 } });
    await waitFor('asset ready', async () => {
      const { rows } = await t.pool.query(`SELECT status, failure_reason FROM video_assets WHERE id = $1`, [asset.assetId]);
      if (rows[0].status === 'failed') throw new Error(`transcode failed: ${rows[0].failure_reason}`);
      return rows[0].status === 'ready';
    }, 90_000);
    const { rows: [{ movie_id: movieId }] } = await t.pool.query(`SELECT movie_id FROM video_assets WHERE id = $1`, [asset.assetId]);
    const client = await t.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO content_translations (content_id, lang, title) VALUES ($1, 'fa', 'آزمون پخش'), ($1, 'en', 'Player E2E')`, [movieId]);
      await client.query(`UPDATE content SET status = 'published', published_at = now(), year = 2026, maturity_rating = 0 WHERE id = $1`, [movieId]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    return movieId as string;
  } finally {
    await worker.stop();
    store.destroy();
    await tmp.remove();
  }
}

/** The demo viewer (standard plan) the page signs in with. */
async function seedDemoViewer(): Promise<void> {
  for (const s of [upsertUser(USERS[1]!), ...SUBSCRIPTIONS.map(upsertSubscription)]) await t.pool.query(s.text, s.params as unknown[]);
}

describe('the demo player', () => {
  it('signs in, plays a transcoded movie in Chromium, and the video advances', { timeout: 240_000 }, async () => {
    const [movieId] = await Promise.all([
      publishedMovie(),
      (async () => {
        await seedDemoViewer();
        edge = await startTestEdge(0);
      })(),
    ]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // Sign in, browse the catalog, pick the title.
    await page.goto(`${edge!.url}/watch`);
    await page.click('#signin button[type=submit]');
    await page.click(`#titles button[data-content-id="${movieId}"]`);
    await page.waitForFunction(() => (document.getElementById('video') as HTMLVideoElement).currentTime > 1.5, undefined, { timeout: 60_000 });
    const state = await page.evaluate(() => {
      const v = document.getElementById('video') as HTMLVideoElement;
      return { time: v.currentTime, paused: v.paused, width: v.videoWidth, status: document.getElementById('status')!.textContent };
    });
    expect(state.time).toBeGreaterThan(1.5);
    expect(state.width).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.screenshot({ path: path.join(ROOT, '.data', stackDataName('test'), 'player.png') });

    // Pausing sends a heartbeat; coming back resumes where the viewer left.
    const heartbeat = page.waitForResponse((r) => r.url().endsWith('/api/v1/history/heartbeat') && r.request().method() === 'POST');
    const left = await page.evaluate(() => {
      const v = document.getElementById('video') as HTMLVideoElement;
      v.pause();
      return v.currentTime;
    });
    expect((await heartbeat).status()).toBe(202);
    await page.reload();
    await page.click(`#titles button[data-content-id="${movieId}"]`);
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('Resuming'), undefined, { timeout: 30_000 });
    await page.waitForFunction((at) => (document.getElementById('video') as HTMLVideoElement).currentTime >= at, Math.floor(left), { timeout: 30_000 });
    expect(await page.textContent('#status')).toBe(`Resuming at ${Math.round(Math.floor(left))} s.`);
    await page.close({ runBeforeUnload: true });
  });

  it('plays a DRM-protected movie: cbcs HLS decrypted through EME Clear Key with a license from the edge', { timeout: 240_000 }, async () => {
    const movieId = await publishedMovie({ drm: true });
    await seedDemoViewer();
    edge ??= await startTestEdge(0);
    browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // The key comes as a Clear Key license from the edge, not as a raw key.
    const license = page.waitForResponse((r) => r.url().endsWith('/license/clearkey'), { timeout: 45_000 });
    const rawKeys: string[] = [];
    page.on('request', (r) => r.url().endsWith('/keys/hls') && rawKeys.push(r.url()));
    await page.goto(`${edge!.url}/watch?contentId=${movieId}&title=Protected`);
    if (await page.isVisible('#signin')) await page.click('#signin button[type=submit]');
    // The plan's two streams may still be held by the first test's pages:
    // then the player offers to stop one and play here, as a viewer would.
    const replace = page.waitForSelector('#replace:not([hidden])', { timeout: 30_000 }).then(() => 'replace' as const, () => 'none' as const);
    if ((await Promise.race([license.then(() => 'license' as const), replace])) === 'replace') await page.click('#replace');
    const answered = await license.catch(async (err: unknown) => {
      throw new Error(`no license request; the page says: ${await page.textContent('#status')}`, { cause: err });
    });
    expect(answered.status()).toBe(200);
    await page.waitForFunction(() => (document.getElementById('video') as HTMLVideoElement).currentTime > 1.5, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(rawKeys).toEqual([]);
    await page.screenshot({ path: path.join(ROOT, '.data', stackDataName('test'), 'player-drm.png') });
  });
});
