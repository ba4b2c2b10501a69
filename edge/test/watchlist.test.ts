// The watchlist (issue 4), beyond search.test.ts's happy path: a kids profile
// never sees or adds a title above its cap, pages, and two profiles of the
// same account keep separate lists.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, insertProfile, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';
import { movie, viewerWithProfile, kidsProfile } from './playback-helpers.ts';

interface Page {
  items: { contentId: string; title: string; available: boolean }[];
  nextCursor: string | null;
}

const add = (token: string, contentId: string) => api(`/watchlist/${contentId}`, { method: 'PUT', token });
const list = async (token: string, query = '') => {
  const res = await api(`/watchlist${query}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};
const ids = async (token: string) => (await list(token)).items.map((i) => i.contentId);

/** A token for another profile of the same account (`cap` set: a kids profile). */
async function switchTo(token: string, userId: string, cap?: 7 | 12): Promise<string> {
  if (cap !== undefined) return kidsProfile(token, userId, cap);
  const profileId = await insertProfile(userId, 'Second');
  const res = await api('/auth/session/profile', { method: 'PUT', token, body: { profileId } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('watchlist', () => {
  it('never shows a kids profile a title re-rated above its cap, and refuses to add one', async () => {
    const v = await viewerWithProfile();
    const kids = await switchTo(v.token, v.userId, 7);
    const [cartoon, drama] = [await movie({ maturity: 7 }), await movie({ maturity: 7 })];
    for (const t of [cartoon, drama]) expect((await add(kids, t.contentId)).status).toBe(200);
    const before = await list(kids);
    expect(before.items.map((i) => i.contentId)).toEqual([drama.contentId, cartoon.contentId]);
    const dramaTitle = before.items[0]!.title;

    // An editor raises the rating: the title is left out, name and all (not listed with available: false).
    await testDb().run(sql(`UPDATE content SET maturity_rating = 15 WHERE id = $1`, [drama.contentId]));
    const res = await api('/watchlist', { token: kids });
    const text = await res.text();
    expect((JSON.parse(text) as Page).items.map((i) => [i.contentId, i.available])).toEqual([[cartoon.contentId, true]]);
    expect(text).not.toContain(drama.contentId);
    expect(text).not.toContain(dramaTitle);
    // Adding it again is a 404, as for any title the profile cannot see.
    await expectEnvelope(await add(kids, drama.contentId), 404, 'NOT_FOUND');
    await expectEnvelope(await add(kids, (await movie({ maturity: 12 })).contentId), 404, 'NOT_FOUND');
    // Rated back down, it returns in its place.
    await testDb().run(sql(`UPDATE content SET maturity_rating = 7 WHERE id = $1`, [drama.contentId]));
    expect(await ids(kids)).toEqual([drama.contentId, cartoon.contentId]);
  });

  it('pages newest first, every title once', async () => {
    const v = await viewerWithProfile();
    const titles: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await movie();
      expect((await add(v.token, t.contentId)).status).toBe(200);
      titles.unshift(t.contentId);
    }
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(v.token, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(page.items.map((i) => i.contentId));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([titles.slice(0, 2), titles.slice(2, 4), titles.slice(4)]);
    await expectEnvelope(await api('/watchlist?cursor=bogus', { token: v.token }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api('/watchlist?limit=0', { token: v.token }), 400, 'VALIDATION_FAILED');
  });

  it('keeps two profiles of the same account apart', async () => {
    const v = await viewerWithProfile();
    const second = await switchTo(v.token, v.userId);
    const [mine, theirs] = [await movie(), await movie()];
    expect((await add(v.token, mine.contentId)).status).toBe(200);
    expect(await ids(second)).toEqual([]);
    expect((await add(second, theirs.contentId)).status).toBe(200);
    expect(await ids(v.token)).toEqual([mine.contentId]);
    // Removing from one profile's list leaves the other's alone.
    expect((await api(`/watchlist/${mine.contentId}`, { method: 'DELETE', token: second })).status).toBe(204);
    expect(await ids(v.token)).toEqual([mine.contentId]);
    expect(await ids(second)).toEqual([theirs.contentId]);
  });
});
