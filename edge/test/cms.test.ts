// The admin CMS (issue 4): roles, validation, publishing rules, optimistic
// concurrency, audit with before/after, and the catalog cache following edits.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, signInAs, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';
import { viewerWithProfile } from './playback-helpers.ts';
import { createTitle as create, tag, type TitleSnapshot as Snapshot } from './cms-helpers.ts';

const translations = (t: string) => ({ fa: { title: `عنوان ${t}`, synopsis: 'خلاصه' }, en: { title: `Title ${t}`, synopsis: 'Synopsis' } });

const publication = (token: string, s: Snapshot, body: Record<string, unknown>) => api(`/admin/content/${s.id}/publication`, { token, body: { updatedAt: s.updatedAt, ...body } });

describe('admin CMS', () => {
  it('creates a draft, publishes it into the catalog, and edits reach cached reads at once, audited with before and after', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    const genre = `g-${t}`;
    expect((await api('/admin/genres', { token: editor.accessToken, body: { slug: genre, fa: 'ژانر', en: 'Genre' } })).status).toBe(201);
    const draft = await create(editor.accessToken, { slug: `film-${t}`, translations: translations(t), genres: [genre] });
    expect(draft).toMatchObject({ status: 'draft', slug: `film-${t}`, genres: [genre] });
    const viewer = await viewerWithProfile();
    const read = () => api(`/catalog/${draft.id}?lang=en`, { token: viewer.token });
    await expectEnvelope(await read(), 404, 'NOT_FOUND');

    const published = (await (await publication(editor.accessToken, draft, { action: 'publish' })).json()) as Snapshot;
    expect(published.status).toBe('published');
    expect(((await (await read()).json()) as { title: string }).title).toBe(`Title ${t}`);
    // Other test files' CMS writes bump the shared catalog version: read until the answer comes from Redis.
    const sources: (string | null)[] = [];
    for (let i = 0; i < 5 && sources.at(-1) !== 'redis'; i++) sources.push((await read()).headers.get('X-Catalog-Cache'));
    expect(sources.at(-1), `sources: ${sources.join(', ')}`).toBe('redis');

    const edited = await api(`/admin/content/${draft.id}`, { method: 'PATCH', token: editor.accessToken, body: { updatedAt: published.updatedAt, translations: { en: { title: `Renamed ${t}` } } } });
    expect(edited.status).toBe(200);
    expect(((await (await read()).json()) as { title: string }).title).toBe(`Renamed ${t}`);
    // By slug too.
    expect((await api(`/catalog/film-${t}`, { token: viewer.token })).status).toBe(200);

    const audit = await testDb().run(
      sql<{ action: string; before: Snapshot | null; after: Snapshot }>(`SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY at`, [draft.id]),
    );
    expect(audit.map((a) => a.action)).toEqual(['content.create', 'content.publish', 'content.update']);
    expect(audit[2]!.before!.translations.en!.title).toBe(`Title ${t}`);
    expect(audit[2]!.after.translations.en!.title).toBe(`Renamed ${t}`);
  });

  it('enforces translations, unique slugs, fresh edits and sensible schedules', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    const onlyFa = await create(editor.accessToken, { translations: { fa: { title: `فقط ${t}` } } });
    const missing = await expectEnvelope(await publication(editor.accessToken, onlyFa, { action: 'publish' }), 409, 'CONFLICT');
    expect(missing.error.details.reason).toBe('translations_required');
    await create(editor.accessToken, { slug: `same-${t}`, translations: translations(t) });
    const dup = await expectEnvelope(await api('/admin/content', { token: editor.accessToken, body: { type: 'movie', originalLanguage: 'fa', slug: `same-${t}` } }), 409, 'CONFLICT');
    expect(dup.error.details.reason).toBe('slug_taken');

    const s = await create(editor.accessToken, { translations: translations(t) });
    expect((await api(`/admin/content/${s.id}`, { method: 'PATCH', token: editor.accessToken, body: { updatedAt: s.updatedAt, year: 2020 } })).status).toBe(200);
    const stale = await expectEnvelope(await api(`/admin/content/${s.id}`, { method: 'PATCH', token: editor.accessToken, body: { updatedAt: s.updatedAt, year: 2021 } }), 409, 'CONFLICT');
    expect(stale.error.details.reason).toBe('changed');

    const fresh = (await (await api(`/admin/content/${s.id}`, { token: editor.accessToken })).json()) as Snapshot;
    await expectEnvelope(await publication(editor.accessToken, fresh, { action: 'schedule', publishAt: new Date(Date.now() - 60_000).toISOString() }), 400, 'VALIDATION_FAILED');
    const scheduled = await publication(editor.accessToken, fresh, { action: 'schedule', publishAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(((await scheduled.json()) as Snapshot).status).toBe('scheduled');
    for (const bad of [{ type: 'movie', originalLanguage: 'fa', role: 'x' }, { type: 'film', originalLanguage: 'fa' }, { type: 'movie', originalLanguage: 'fa', maturityRating: 13 }, { type: 'movie', originalLanguage: 'fa', genres: ['no-such-genre'] }]) {
      await expectEnvelope(await api('/admin/content', { token: editor.accessToken, body: bad }), 400, 'VALIDATION_FAILED');
    }
  });

  it('builds a series: seasons and episodes with unique numbers', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    const show = await create(editor.accessToken, { type: 'series', translations: translations(t) });
    const season = await api(`/admin/content/${show.id}/seasons`, { token: editor.accessToken, body: { seasonNumber: 1 } });
    expect(season.status).toBe(201);
    const { id: seasonId } = (await season.json()) as { id: string };
    await expectEnvelope(await api(`/admin/content/${show.id}/seasons`, { token: editor.accessToken, body: { seasonNumber: 1 } }), 409, 'CONFLICT');
    const episode = { episodeNumber: 1, translations: { fa: { title: 'قسمت یک' }, en: { title: 'Episode one' } }, status: 'published' };
    expect((await api(`/admin/seasons/${seasonId}/episodes`, { token: editor.accessToken, body: episode })).status).toBe(201);
    const dup = await expectEnvelope(await api(`/admin/seasons/${seasonId}/episodes`, { token: editor.accessToken, body: episode }), 409, 'CONFLICT');
    expect(dup.error.details.reason).toBe('episode_exists');
    await expectEnvelope(await api(`/admin/seasons/${crypto.randomUUID()}/episodes`, { token: editor.accessToken, body: { ...episode, episodeNumber: 2 } }), 404, 'NOT_FOUND');
    // An episode of its own schedule: drafted, then published, then renumbered into a clash.
    const second = (await (await api(`/admin/seasons/${seasonId}/episodes`, { token: editor.accessToken, body: { ...episode, episodeNumber: 2, status: 'draft' } })).json()) as { id: string };
    expect((await api(`/admin/episodes/${second.id}`, { method: 'PATCH', token: editor.accessToken, body: { publication: { action: 'publish' }, translations: { en: { title: 'Episode two' } } } })).status).toBe(200);
    const [row] = await testDb().run(sql<{ status: string; title: string }>(`SELECT e.status, t.title FROM episodes e JOIN episode_translations t ON t.episode_id = e.id AND t.lang = 'en' WHERE e.id = $1`, [second.id]));
    expect(row).toEqual({ status: 'published', title: 'Episode two' });
    await expectEnvelope(await api(`/admin/episodes/${second.id}`, { method: 'PATCH', token: editor.accessToken, body: { episodeNumber: 1 } }), 409, 'CONFLICT');
    await expectEnvelope(await api(`/admin/episodes/${crypto.randomUUID()}`, { method: 'PATCH', token: editor.accessToken, body: { episodeNumber: 3 } }), 404, 'NOT_FOUND');
    const film = await create(editor.accessToken, { translations: translations(`${t}m`) });
    await expectEnvelope(await api(`/admin/content/${film.id}/seasons`, { token: editor.accessToken, body: { seasonNumber: 1 } }), 409, 'CONFLICT');
  });

  it('is for editors and admins only', async () => {
    const viewer = await signInAs('viewer');
    await expectEnvelope(await api('/admin/content', { token: viewer.accessToken, body: { type: 'movie', originalLanguage: 'fa' } }), 403, 'FORBIDDEN');
    await expectEnvelope(await api('/admin/content', { token: viewer.accessToken }), 403, 'FORBIDDEN');
    await expectEnvelope(await api('/admin/genres', { token: viewer.accessToken }), 403, 'FORBIDDEN');
    const admin = await signInAs('admin');
    expect((await api('/admin/content?limit=5', { token: admin.accessToken })).status).toBe(200);
  });
});
