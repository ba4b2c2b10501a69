// Continue watching (issue 4) offers only what the profile may watch now: a
// title unpublished since, an episode back in draft, or a title re-rated
// above a kids profile's cap is neither resumed nor suggested as the next
// episode (catalog_is_visible, db/migrations/0013_catalog_visibility.sql).
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, testDb } from './auth-helpers.ts';
import { movie, series, viewerWithProfile, kidsProfile } from './playback-helpers.ts';

interface Rail {
  items: { contentId: string; episodeId: string | null; reason: 'resume' | 'next_episode' }[];
}

const beat = async (token: string, body: Record<string, unknown>) => expect((await api('/history/heartbeat', { token, body })).status).toBe(202);
const rail = async (token: string) => ((await (await api('/history/continue', { token })).json()) as Rail).items.map((i) => [i.contentId, i.episodeId, i.reason]);

describe('continue watching', () => {
  it('drops a title unpublished since', async () => {
    const v = await viewerWithProfile();
    const [gone, kept] = [await movie(), await movie()];
    await beat(v.token, { contentId: gone.contentId, positionSeconds: 60 });
    await beat(v.token, { contentId: kept.contentId, positionSeconds: 60 });
    expect(await rail(v.token)).toEqual([[kept.contentId, null, 'resume'], [gone.contentId, null, 'resume']]);
    await testDb().run(sql(`UPDATE content SET status = 'archived' WHERE id = $1`, [gone.contentId]));
    expect(await rail(v.token)).toEqual([[kept.contentId, null, 'resume']]);
  });

  it('drops an episode back in draft, and never suggests one', async () => {
    const v = await viewerWithProfile();
    const started = await series({ episodes: 2 });
    await beat(v.token, { contentId: started.contentId, episodeId: started.episodeIds[0], positionSeconds: 60 });
    expect(await rail(v.token)).toEqual([[started.contentId, started.episodeIds[0], 'resume']]);
    await testDb().run(sql(`UPDATE episodes SET status = 'draft', published_at = NULL WHERE id = $1`, [started.episodeIds[0]]));
    expect(await rail(v.token)).toEqual([]);

    // Episode 1 finished, episode 2 in draft: episode 3 is next.
    const finished = await series({ episodes: 3 });
    await beat(v.token, { contentId: finished.contentId, episodeId: finished.episodeIds[0], positionSeconds: 115 });
    expect(await rail(v.token)).toEqual([[finished.contentId, finished.episodeIds[1], 'next_episode']]);
    await testDb().run(sql(`UPDATE episodes SET status = 'draft', published_at = NULL WHERE id = $1`, [finished.episodeIds[1]]));
    expect(await rail(v.token)).toEqual([[finished.contentId, finished.episodeIds[2], 'next_episode']]);
  });

  it('offers the next episode of every series finished at its latest item, one lookup for all, and resumes the rest', async () => {
    const v = await viewerWithProfile();
    const [a, b, c, last] = [await series({ episodes: 3 }), await series({ episodes: 2 }), await series({ episodes: 2 }), await series({ episodes: 1 })];
    const film = await movie();
    // (Only first episodes have a video of known length here: the player says 120 s.)
    // Oldest first: c's episode 1 finished, then c's episode 2 started (c resumes, no suggestion);
    // b's episode 1 finished; the film started; a's episode 2 finished; the only episode of `last` finished.
    await beat(v.token, { contentId: c.contentId, episodeId: c.episodeIds[0], positionSeconds: 115, durationSeconds: 120 });
    await beat(v.token, { contentId: c.contentId, episodeId: c.episodeIds[1], positionSeconds: 30, durationSeconds: 120 });
    await beat(v.token, { contentId: b.contentId, episodeId: b.episodeIds[0], positionSeconds: 119, durationSeconds: 120 });
    await beat(v.token, { contentId: film.contentId, positionSeconds: 60 });
    await beat(v.token, { contentId: a.contentId, episodeId: a.episodeIds[1], positionSeconds: 118, durationSeconds: 120 });
    await beat(v.token, { contentId: last.contentId, episodeId: last.episodeIds[0], positionSeconds: 118, durationSeconds: 120 });
    expect(await rail(v.token)).toEqual([
      [a.contentId, a.episodeIds[2], 'next_episode'],
      [film.contentId, null, 'resume'],
      [b.contentId, b.episodeIds[1], 'next_episode'],
      [c.contentId, c.episodeIds[1], 'resume'],
    ]);
  });

  it('shows a kids profile nothing re-rated above its cap: no resume, no next episode', async () => {
    const v = await viewerWithProfile();
    const kids = await kidsProfile(v.token, v.userId, 7);
    const film = await movie({ maturity: 7 });
    const show = await series({ maturity: 7, episodes: 2 });
    await beat(kids, { contentId: film.contentId, positionSeconds: 60 });
    await beat(kids, { contentId: show.contentId, episodeId: show.episodeIds[0], positionSeconds: 115 });
    expect(await rail(kids)).toEqual([[show.contentId, show.episodeIds[1], 'next_episode'], [film.contentId, null, 'resume']]);

    await testDb().run(sql(`UPDATE content SET maturity_rating = 12 WHERE id = ANY($1::uuid[])`, [[film.contentId, show.contentId]]));
    expect(await rail(kids)).toEqual([]);
    // The account's adult profile may watch them: the filter is the profile's cap, not the title.
    await beat(v.token, { contentId: film.contentId, positionSeconds: 60 });
    expect(await rail(v.token)).toEqual([[film.contentId, null, 'resume']]);
  });
});
