// The CMS's seasons, episodes and genres: each write audited as itself (who,
// what, before, after), partial episode edits, and an episode's own schedule
// as viewers see it in the series detail.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, signInAs, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';
import { viewerWithProfile } from './playback-helpers.ts';
import { tag } from './cms-helpers.ts';

interface Snapshot {
  id: string;
  updatedAt: string;
}

interface AuditRow {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, any> | null;
  after: Record<string, any>;
  requestId: string;
}

const names = (t: string) => ({ fa: { title: `عنوان ${t}` }, en: { title: `Title ${t}` } });

async function auditOf(entityType: string, entityId: string): Promise<AuditRow[]> {
  return testDb().run(
    sql<AuditRow>(
      `SELECT actor_user_id AS actor, action, entity_type AS "entityType", entity_id AS "entityId", before, after, request_id AS "requestId"
       FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY at`,
      [entityType, entityId],
    ),
  );
}

async function created(res: Response): Promise<string> {
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A series (published when asked) with season 1. */
async function series(token: string, publish = false): Promise<{ show: Snapshot; seasonId: string }> {
  const res = await api('/admin/content', { token, body: { type: 'series', originalLanguage: 'fa', year: 2024, maturityRating: 0, translations: names(tag()) } });
  expect(res.status).toBe(201);
  let show = (await res.json()) as Snapshot;
  if (publish) {
    const published = await api(`/admin/content/${show.id}/publication`, { token, body: { updatedAt: show.updatedAt, action: 'publish' } });
    expect(published.status).toBe(200);
    show = (await published.json()) as Snapshot;
  }
  const seasonId = await created(await api(`/admin/content/${show.id}/seasons`, { token, body: { seasonNumber: 1 } }));
  return { show, seasonId };
}

const addEpisode = (token: string, seasonId: string, body: Record<string, unknown>) =>
  api(`/admin/seasons/${seasonId}/episodes`, { token, body: { translations: { fa: { title: 'قسمت' }, en: { title: 'Episode' } }, ...body } });
const editEpisode = (token: string, id: string, body: Record<string, unknown>) => api(`/admin/episodes/${id}`, { method: 'PATCH', token, body });

describe('CMS structure', () => {
  it('audits a new season as the season: who, before null, after the row; the series gets no audit row for it', async () => {
    const editor = await signInAs('editor');
    const { show } = await series(editor.accessToken);
    const res = await api(`/admin/content/${show.id}/seasons`, { token: editor.accessToken, body: { seasonNumber: 2, year: 2025 } });
    const seasonId = await created(res);
    const [row, ...more] = await auditOf('season', seasonId);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actor: editor.user.id, action: 'season.create', before: null, requestId: res.headers.get('X-Request-Id') });
    expect(row!.after).toMatchObject({ id: seasonId, series_id: show.id, season_number: 2, year: 2025 });
    expect((await auditOf('content', show.id)).map((a) => a.action)).toEqual(['content.create']);
  });

  it('audits a new episode as the episode, with its translations', async () => {
    const editor = await signInAs('editor');
    const { show, seasonId } = await series(editor.accessToken);
    const res = await addEpisode(editor.accessToken, seasonId, { episodeNumber: 3, translations: { fa: { title: 'سه', synopsis: 'خلاصه' }, en: { title: 'Three' } } });
    const episodeId = await created(res);
    const [row, ...more] = await auditOf('episode', episodeId);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actor: editor.user.id, action: 'episode.create', before: null, requestId: res.headers.get('X-Request-Id') });
    expect(row!.after).toMatchObject({ id: episodeId, season_id: seasonId, series_id: show.id, episode_number: 3, status: 'draft' });
    expect(row!.after.translations).toEqual({ fa: { title: 'سه', synopsis: 'خلاصه' }, en: { title: 'Three', synopsis: null } });
  });

  it('audits an episode edit with the episode before and after', async () => {
    const editor = await signInAs('editor');
    const { seasonId } = await series(editor.accessToken);
    const episodeId = await created(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 1, translations: { fa: { title: 'یک' }, en: { title: 'One' } } }));
    const res = await editEpisode(editor.accessToken, episodeId, { episodeNumber: 7, translations: { en: { title: 'Seven' } } });
    expect(res.status).toBe(200);
    const [, row] = await auditOf('episode', episodeId);
    expect(row).toMatchObject({ actor: editor.user.id, action: 'episode.update', requestId: res.headers.get('X-Request-Id') });
    expect(row!.before).toMatchObject({ id: episodeId, episode_number: 1, translations: { en: { title: 'One' }, fa: { title: 'یک' } } });
    expect(row!.after).toMatchObject({ id: episodeId, episode_number: 7, translations: { en: { title: 'Seven' }, fa: { title: 'یک' } } });
  });

  it('audits a new genre as the genre', async () => {
    const editor = await signInAs('editor');
    const slug = `g-${tag()}`;
    const res = await api('/admin/genres', { token: editor.accessToken, body: { slug, fa: 'ژانر', en: 'Genre' } });
    const genreId = await created(res);
    expect(await auditOf('genre', genreId)).toEqual([
      { actor: editor.user.id, action: 'genre.create', entityType: 'genre', entityId: genreId, before: null, after: expect.objectContaining({ slug, name_fa: 'ژانر', name_en: 'Genre' }), requestId: res.headers.get('X-Request-Id') },
    ]);
  });

  it("keeps an episode's synopsis the edit leaves out, clears it when sent as null, and has no tagline", async () => {
    const editor = await signInAs('editor');
    const { seasonId } = await series(editor.accessToken);
    const episodeId = await created(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 1, translations: { fa: { title: 'یک', synopsis: 'خلاصه' }, en: { title: 'One', synopsis: 'Synopsis' } } }));
    const stored = () => testDb().run(sql<{ lang: string; title: string; synopsis: string | null }>(`SELECT lang, title, synopsis FROM episode_translations WHERE episode_id = $1 ORDER BY lang`, [episodeId]));

    expect((await editEpisode(editor.accessToken, episodeId, { translations: { en: { title: 'One, renamed' } } })).status).toBe(200);
    expect(await stored()).toEqual([
      { lang: 'en', title: 'One, renamed', synopsis: 'Synopsis' },
      { lang: 'fa', title: 'یک', synopsis: 'خلاصه' },
    ]);
    expect((await editEpisode(editor.accessToken, episodeId, { translations: { en: { title: 'One, renamed', synopsis: null } } })).status).toBe(200);
    expect(await stored()).toEqual([
      { lang: 'en', title: 'One, renamed', synopsis: null },
      { lang: 'fa', title: 'یک', synopsis: 'خلاصه' },
    ]);

    const tagline = await expectEnvelope(await editEpisode(editor.accessToken, episodeId, { translations: { en: { title: 'One', tagline: 'x' } } }), 400, 'VALIDATION_FAILED');
    expect(tagline.error.message).toContain('body.translations.en');
  });

  it('answers 404 for an edit of a missing episode, translations included, and writes nothing', async () => {
    const editor = await signInAs('editor');
    const missing = crypto.randomUUID();
    await expectEnvelope(await editEpisode(editor.accessToken, missing, { translations: { en: { title: 'Ghost' } } }), 404, 'NOT_FOUND');
    await expectEnvelope(await editEpisode(editor.accessToken, missing, { publication: { action: 'publish' } }), 404, 'NOT_FOUND');
    expect(await auditOf('episode', missing)).toEqual([]);
  });

  it('refuses to create an episode scheduled in the past, as an edit does', async () => {
    const editor = await signInAs('editor');
    const { seasonId } = await series(editor.accessToken);
    const past = new Date(Date.now() - 60_000).toISOString();
    const body = await expectEnvelope(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 1, status: 'scheduled', publishAt: past }), 400, 'VALIDATION_FAILED');
    expect(body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['body.publishAt']);
    const [{ n }] = (await testDb().run(sql<{ n: number }>(`SELECT count(*)::int AS n FROM episodes WHERE season_id = $1`, [seasonId]))) as [{ n: number }];
    expect(n).toBe(0);

    const draft = await created(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 1 }));
    await expectEnvelope(await editEpisode(editor.accessToken, draft, { publication: { action: 'schedule', publishAt: past } }), 400, 'VALIDATION_FAILED');
    expect(await created(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 2, status: 'scheduled', publishAt: new Date(Date.now() + 86_400_000).toISOString() }))).toBeTruthy();
  });

  it('an episode appears in the series detail when its schedule comes, and leaves it when unpublished', async () => {
    const editor = await signInAs('editor');
    const viewer = await viewerWithProfile();
    const { show, seasonId } = await series(editor.accessToken, true);
    const first = await created(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 1, status: 'published' }));
    const second = await created(await addEpisode(editor.accessToken, seasonId, { episodeNumber: 2 }));
    const live = async () => {
      const res = await api(`/catalog/${show.id}?lang=en`, { token: viewer.token });
      expect(res.status).toBe(200);
      const { seasons } = (await res.json()) as { seasons: { number: number; episodes: { id: string }[] }[] };
      return seasons.flatMap((s) => s.episodes.map((e) => e.id));
    };
    expect(await live()).toEqual([first]);

    // Cached reads expire by the next scheduled publish, so no one has to bump anything at that moment.
    const publishAt = Date.now() + 2_500;
    expect((await editEpisode(editor.accessToken, second, { publication: { action: 'schedule', publishAt: new Date(publishAt).toISOString() } })).status).toBe(200);
    expect(await live()).toEqual([first]);
    await new Promise((resolve) => setTimeout(resolve, publishAt + 1_200 - Date.now()));
    expect(await live()).toEqual([first, second]);

    expect((await editEpisode(editor.accessToken, first, { publication: { action: 'unpublish' } })).status).toBe(200);
    expect(await live()).toEqual([second]);
    const [row] = await testDb().run(sql<{ status: string; publishedAt: Date | null }>(`SELECT status, published_at AS "publishedAt" FROM episodes WHERE id = $1`, [first]));
    expect(row).toEqual({ status: 'draft', publishedAt: null });
  });
});
