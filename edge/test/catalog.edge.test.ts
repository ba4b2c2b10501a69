// The colo's edge copy of anonymous catalog reads (Workers Cache API, issue
// 4): served with its ETag (304 at the edge), fresh for CATALOG_EDGE_MAX_AGE,
// then served stale while one request refreshes it, never past the next
// scheduled publish; signed-in reads never use it.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { bumpCatalogVersion } from '../src/services/catalog/cache.ts';
import { testDb, testRedis } from './auth-helpers.ts';
import { call, envWith, expectEnvelope } from './helpers.ts';
import { movie, viewerWithProfile } from './playback-helpers.ts';

const get = (path: string, headers: Record<string, string> = {}, bindings = envWith({})) => call(`/api/v1${path}`, { headers: { 'CF-Connecting-IP': '198.51.100.22', ...headers } }, bindings);
const rename = async (id: string, title: string) => {
  await testDb().run(sql(`UPDATE content_translations SET title = $2 WHERE content_id = $1 AND lang = 'en'`, [id, title]));
  await bumpCatalogVersion(testRedis());
};
const titleOf = async (res: Response) => ((await res.json()) as { title: string }).title;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// With CATALOG_EDGE_MAX_AGE=1 a copy is fresh 1 s and served 3 s, unless
// something anywhere in the catalog is scheduled to go live sooner (another
// test file's scheduled title): then its windows are cut short, rightly, and
// a timing scenario cannot run; it runs again on a new title.
const FULL_WINDOWS = 'public, max-age=1, stale-while-revalidate=2';
async function withFullWindows(scenario: (bindings: ReturnType<typeof envWith>) => Promise<'cut-short' | void>): Promise<void> {
  const bindings = envWith({ CATALOG_EDGE_MAX_AGE: '1' });
  for (let i = 0; i < 5; i++) {
    if ((await scenario(bindings)) !== 'cut-short') return;
    await sleep(1_000);
  }
  throw new Error('every attempt had its edge windows cut short by a scheduled publish');
}

describe('catalog edge copy', () => {
  it('answers anonymous repeats from the edge with the same ETag, 304 on a match, and no internal headers', async () => {
    const { contentId } = await movie({ video: 'none', maturity: 0 });
    const first = await get(`/catalog/${contentId}?lang=en`);
    expect(first.status).toBe(200);
    expect(first.headers.get('X-Catalog-Cache')).not.toBe('edge');
    // 30 s fresh and 60 s stale by default (shorter only when something is scheduled to go live sooner).
    const [, maxAge, swr] = /^public, max-age=(\d+)(?:, stale-while-revalidate=(\d+))?$/.exec(first.headers.get('Cache-Control')!)!;
    expect(Number(maxAge)).toBeLessThanOrEqual(30);
    expect(Number(swr ?? 0)).toBeLessThanOrEqual(60);
    const etag = first.headers.get('ETag')!;
    const body = await first.text();

    const again = await get(`/catalog/${contentId}?lang=en`);
    expect(again.headers.get('X-Catalog-Cache')).toBe('edge');
    expect(again.headers.get('ETag')).toBe(etag);
    expect(await again.text()).toBe(body);
    expect([...again.headers.keys()].filter((k) => k.startsWith('x-edge-'))).toEqual([]);

    const notModified = await get(`/catalog/${contentId}?lang=en`, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('X-Catalog-Cache')).toBe('edge');
    expect(notModified.headers.get('ETag')).toBe(etag);

    // The language is part of the key: Persian is its own entry, not the English one.
    const fa = await get(`/catalog/${contentId}`, { 'Accept-Language': 'fa' });
    expect(fa.headers.get('X-Catalog-Cache')).not.toBe('edge');
    expect(((await fa.json()) as { lang: string }).lang).toBe('fa');
  });

  it('keeps signed-in reads and Cache-Control: no-cache away from the edge copy', async () => {
    const { contentId } = await movie({ video: 'none', maturity: 0 });
    await get(`/catalog/${contentId}?lang=en`);
    expect((await get(`/catalog/${contentId}?lang=en`)).headers.get('X-Catalog-Cache')).toBe('edge');
    const v = await viewerWithProfile();
    const signedIn = await get(`/catalog/${contentId}?lang=en`, { Authorization: `Bearer ${v.token}` });
    expect(signedIn.headers.get('X-Catalog-Cache')).not.toBe('edge');
    expect(signedIn.headers.get('Cache-Control')).toBe('private, no-cache');
    // Redis (the entry the first read built), or Postgres when another test file bumped the catalog version meanwhile.
    expect(['redis', 'origin']).toContain((await get(`/catalog/${contentId}?lang=en`, { 'Cache-Control': 'no-cache' })).headers.get('X-Catalog-Cache'));
  });

  it('serves a stale copy once while refreshing it, then the edit', async () => {
    await withFullWindows(async (bindings) => {
      const { contentId } = await movie({ video: 'none', maturity: 0 });
      const first = await get(`/catalog/${contentId}?lang=en`, {}, bindings);
      if (first.headers.get('Cache-Control') !== FULL_WINDOWS) return 'cut-short';
      const original = await titleOf(first);
      await rename(contentId, 'Edited at the origin');
      // Fresh: the edge copy still answers, with the old title.
      const fresh = await get(`/catalog/${contentId}?lang=en`, {}, bindings);
      expect(fresh.headers.get('X-Catalog-Cache')).toBe('edge');
      expect(await titleOf(fresh)).toBe(original);
      await sleep(1_100);
      // Stale: still served at once (old title, max-age 0), and refreshed behind it.
      const stale = await get(`/catalog/${contentId}?lang=en`, {}, bindings);
      expect(stale.headers.get('X-Catalog-Cache')).toBe('edge');
      expect(stale.headers.get('Cache-Control')).toMatch(/^public, max-age=0, stale-while-revalidate=[12]$/);
      expect(await titleOf(stale)).toBe(original);
      const refreshed = await get(`/catalog/${contentId}?lang=en`, {}, bindings);
      expect(refreshed.headers.get('X-Catalog-Cache')).toBe('edge');
      expect(await titleOf(refreshed)).toBe('Edited at the origin');
    });
  });

  it('drops the copy of a title unpublished meanwhile once it is stale', async () => {
    await withFullWindows(async (bindings) => {
      const { contentId } = await movie({ video: 'none', maturity: 0 });
      const first = await get(`/catalog/${contentId}?lang=en`, {}, bindings);
      if (first.headers.get('Cache-Control') !== FULL_WINDOWS) return 'cut-short';
      await testDb().run(sql(`UPDATE content SET status = 'archived' WHERE id = $1`, [contentId]));
      await bumpCatalogVersion(testRedis());
      await sleep(1_100);
      expect((await get(`/catalog/${contentId}?lang=en`, {}, bindings)).status).toBe(200); // the stale copy, refreshed behind it
      await expectEnvelope(await get(`/catalog/${contentId}?lang=en`, {}, bindings), 404, 'NOT_FOUND');
    });
  });

  it('never keeps an edge copy past the next scheduled publish', async () => {
    const { contentId } = await movie({ video: 'none', maturity: 0 });
    await testDb().run(sql(`UPDATE content SET status = 'scheduled', published_at = NULL, publish_at = now() + interval '2 seconds' WHERE id = $1`, [contentId]));
    // A page only this test reads (limit=47), so its edge entry is ours.
    const page = async () => {
      const res = await get('/catalog?type=movie&limit=47&lang=en');
      return { layer: res.headers.get('X-Catalog-Cache'), cacheControl: res.headers.get('Cache-Control')!, ids: ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id) };
    };
    await bumpCatalogVersion(testRedis());
    const before = await page();
    expect(before.ids).not.toContain(contentId);
    expect(Number(/max-age=(\d+)/.exec(before.cacheControl)![1])).toBeLessThanOrEqual(2);
    expect((await page()).layer).toBe('edge');
    await sleep(2_300);
    const after = await page();
    expect(after.layer).not.toBe('edge');
    expect(after.ids).toContain(contentId);
  });

  it('refuses a broken CATALOG_EDGE_MAX_AGE on catalog reads only, naming it', async () => {
    const bindings = envWith({ CATALOG_EDGE_MAX_AGE: 'soon' });
    const body = await expectEnvelope(await get('/catalog/home', {}, bindings), 500, 'CONFIG_INVALID');
    expect(JSON.stringify(body)).toContain('CATALOG_EDGE_MAX_AGE');
    expect((await get('/health', {}, bindings)).status).toBe(200);
  });
});
