// History pages (issue 4): positions still buffered in Redis take their place
// in the newest-first order instead of being added on top of a page, so a
// page never exceeds `limit` and every item shows on exactly one page.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, testDb } from './auth-helpers.ts';
import { movie, viewerWithProfile } from './playback-helpers.ts';

interface Page {
  items: { contentId: string; positionSeconds: number }[];
  nextCursor: string | null;
}

/** A row as a flush long ago would have left it. */
const stored = (profileId: string, contentId: string, hoursAgo: number) =>
  testDb().run(
    sql(`INSERT INTO watch_history (profile_id, content_id, position_seconds, duration_seconds, watched_at) VALUES ($1, $2, 30, 100, now() - make_interval(hours => $3))`, [profileId, contentId, hoursAgo]),
  );

async function allPages(token: string, limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const res = await api(`/history?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 10);
  return pages;
}

describe('history pages', () => {
  it('hold at most `limit` items, buffered ones included, and list every item once, newest first', async () => {
    const v = await viewerWithProfile();
    const titles = await Promise.all([1, 2, 3, 4, 5, 6].map(() => movie({ video: 'none' })));
    const [old4h, old3h, old2h, old1h, fresh1, fresh2] = titles.map((t) => t.contentId) as [string, string, string, string, string, string];
    await stored(v.profileId, old4h, 4);
    await stored(v.profileId, old3h, 3);
    await stored(v.profileId, old2h, 2);
    await stored(v.profileId, old1h, 1);
    // Two items only in Redis, then a newer position over the 3-hour-old row: it moves to the top.
    for (const [contentId, positionSeconds] of [[fresh1, 10], [fresh2, 20], [old3h, 40]] as const) {
      expect((await api('/history/heartbeat', { token: v.token, body: { contentId, positionSeconds, durationSeconds: 100 } })).status).toBe(202);
      await new Promise((r) => setTimeout(r, 3)); // distinct milliseconds, so the order is known
    }
    const newestFirst = [old3h, fresh2, fresh1, old1h, old2h, old4h];

    for (const limit of [2, 4, 1]) {
      const pages = await allPages(v.token, limit);
      for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(limit);
      expect(pages.flatMap((p) => p.items.map((i) => i.contentId))).toEqual(newestFirst);
      expect(pages.at(-1)!.nextCursor).toBeNull();
    }
    const [first] = await allPages(v.token, 1);
    expect(first!.items[0]).toMatchObject({ contentId: old3h, positionSeconds: 40 });
  });
});
