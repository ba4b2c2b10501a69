// The CMS's title routes: partial translation edits, the original title,
// artwork keys, reserved slugs, and taking a title down and putting it back
// as viewers see it through the (cached) public catalog.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, signInAs, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';
import { viewerWithProfile } from './playback-helpers.ts';
import { createTitle as create, tag, type TitleSnapshot as Snapshot } from './cms-helpers.ts';

const translations = (t: string) => ({
  fa: { title: `عنوان ${t}`, tagline: 'شعار', synopsis: 'خلاصه' },
  en: { title: `Title ${t}`, tagline: 'A tagline', synopsis: 'A synopsis' },
});

async function edit(token: string, s: Snapshot, body: Record<string, unknown>): Promise<Snapshot> {
  const res = await api(`/admin/content/${s.id}`, { method: 'PATCH', token, body: { updatedAt: s.updatedAt, ...body } });
  expect(res.status).toBe(200);
  return (await res.json()) as Snapshot;
}

async function publication(token: string, s: Snapshot, action: 'publish' | 'unpublish'): Promise<Snapshot> {
  const res = await api(`/admin/content/${s.id}/publication`, { token, body: { updatedAt: s.updatedAt, action } });
  expect(res.status).toBe(200);
  return (await res.json()) as Snapshot;
}

/** Reads until the answer comes from Redis: other test files' CMS writes bump the shared catalog version meanwhile. */
async function servedFromRedis(read: () => Promise<Response>): Promise<void> {
  const sources: (string | null)[] = [];
  for (let i = 0; i < 5 && sources.at(-1) !== 'redis'; i++) sources.push((await read()).headers.get('X-Catalog-Cache'));
  expect(sources.at(-1), `sources: ${sources.join(', ')}`).toBe('redis');
}

const issuePaths = (body: { error: { details?: { issues?: { path: string }[] } } }) => [...new Set((body.error.details?.issues ?? []).map((i) => i.path))];

describe('CMS titles', () => {
  it('keeps a translation field the edit leaves out, and clears one sent as null', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    const draft = await create(editor.accessToken, { translations: translations(t) });

    const renamed = await edit(editor.accessToken, draft, { translations: { en: { title: `Renamed ${t}` } } });
    expect(renamed.translations.en).toEqual({ title: `Renamed ${t}`, tagline: 'A tagline', synopsis: 'A synopsis' });
    expect(renamed.translations.fa).toEqual(translations(t).fa);

    const cleared = await edit(editor.accessToken, renamed, { translations: { en: { title: `Renamed ${t}`, tagline: null } } });
    expect(cleared.translations.en).toEqual({ title: `Renamed ${t}`, tagline: null, synopsis: 'A synopsis' });

    const emptied = await edit(editor.accessToken, cleared, { translations: { en: { title: `Renamed ${t}`, synopsis: null } } });
    expect(emptied.translations.en).toEqual({ title: `Renamed ${t}`, tagline: null, synopsis: null });
    expect(emptied.translations.fa).toEqual(translations(t).fa);
  });

  it('stores the original title trimmed, returns it on admin reads, keeps it when omitted, clears it with null, and audits it', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    const draft = await create(editor.accessToken, { translations: translations(t), originalTitle: `  Le Fabuleux Destin ${t} ` });
    expect(draft.originalTitle).toBe(`Le Fabuleux Destin ${t}`);
    const read = async () => (await (await api(`/admin/content/${draft.id}`, { token: editor.accessToken })).json()) as Snapshot;
    expect((await read()).originalTitle).toBe(`Le Fabuleux Destin ${t}`);

    const renamed = await edit(editor.accessToken, draft, { originalTitle: `Amélie ${t}` });
    const untouched = await edit(editor.accessToken, renamed, { year: 2001 });
    expect(untouched.originalTitle).toBe(`Amélie ${t}`);
    const cleared = await edit(editor.accessToken, untouched, { originalTitle: null });
    expect(cleared.originalTitle).toBeNull();
    expect((await read()).originalTitle).toBeNull();

    const audit = await testDb().run(
      sql<{ action: string; before: Snapshot | null; after: Snapshot }>(`SELECT action, before, after FROM audit_log WHERE entity_type = 'content' AND entity_id = $1 ORDER BY at`, [draft.id]),
    );
    expect(audit.map((a) => [a.action, a.before?.originalTitle, a.after.originalTitle])).toEqual([
      ['content.create', undefined, `Le Fabuleux Destin ${t}`],
      ['content.update', `Le Fabuleux Destin ${t}`, `Amélie ${t}`],
      ['content.update', `Amélie ${t}`, `Amélie ${t}`],
      ['content.update', `Amélie ${t}`, null],
    ]);

    for (const originalTitle of ['   ', 'x'.repeat(301), 42]) {
      const bad = await expectEnvelope(await api('/admin/content', { token: editor.accessToken, body: { type: 'movie', originalLanguage: 'fr', originalTitle } }), 400, 'VALIDATION_FAILED');
      expect(issuePaths(bad)).toEqual(['body.originalTitle']);
    }
  });

  it('accepts artwork keys and returns them; a bad shape answers VALIDATION_FAILED naming the field', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    const images = { poster: `images/${t}/poster.jpg`, backdrop: `images/${t}/backdrop.jpg`, logo: `images/${t}/logo.png`, thumbnail: `images/${t}/thumb.jpg` };
    const draft = await create(editor.accessToken, { translations: translations(t), images });
    expect(draft.images).toEqual(images);
    const replaced = await edit(editor.accessToken, draft, { images: { poster: `images/${t}/poster-2.jpg` } });
    expect(replaced.images).toEqual({ poster: `images/${t}/poster-2.jpg` });

    const cases: [unknown, string][] = [
      [{ banner: 'images/x.jpg' }, 'body.images'],
      [{ poster: 5 }, 'body.images.poster'],
      [{ poster: '' }, 'body.images.poster'],
      [{ poster: '/images/x.jpg' }, 'body.images.poster'],
      [{ poster: 'images/a b.jpg' }, 'body.images.poster'],
      [['images/x.jpg'], 'body.images'],
    ];
    for (const [bad, path] of cases) {
      const res = await api(`/admin/content/${draft.id}`, { method: 'PATCH', token: editor.accessToken, body: { updatedAt: replaced.updatedAt, images: bad } });
      const body = await expectEnvelope(res, 400, 'VALIDATION_FAILED');
      expect(issuePaths(body), JSON.stringify(bad)).toEqual([path]);
      expect(body.error.message).toContain(path);
    }
    const [row] = await testDb().run(sql<{ images: unknown }>(`SELECT images FROM content WHERE id = $1`, [draft.id]));
    expect(row!.images).toEqual({ poster: `images/${t}/poster-2.jpg` });
  });

  it('rejects a slug the catalog could never serve: a fixed path (home) or an id', async () => {
    const editor = await signInAs('editor');
    const t = tag();
    for (const slug of ['home', crypto.randomUUID()]) {
      const created = await expectEnvelope(await api('/admin/content', { token: editor.accessToken, body: { type: 'movie', originalLanguage: 'fa', slug } }), 400, 'VALIDATION_FAILED');
      expect(issuePaths(created)).toEqual(['body.slug']);
    }
    const reserved = await expectEnvelope(await api('/admin/content', { token: editor.accessToken, body: { type: 'movie', originalLanguage: 'fa', slug: 'home' } }), 400, 'VALIDATION_FAILED');
    expect(reserved.error.message).toMatch(/body\.slug: is reserved/);

    const draft = await create(editor.accessToken, { slug: `home-${t}`, translations: translations(t) });
    expect(draft.slug).toBe(`home-${t}`);
    await expectEnvelope(await api(`/admin/content/${draft.id}`, { method: 'PATCH', token: editor.accessToken, body: { updatedAt: draft.updatedAt, slug: 'home' } }), 400, 'VALIDATION_FAILED');
  });

  it('unpublishing takes a title out of the catalog at once, cached reads included, by id and by slug', async () => {
    const editor = await signInAs('editor');
    const viewer = await viewerWithProfile();
    const t = tag();
    const live = await publication(editor.accessToken, await create(editor.accessToken, { slug: `gone-${t}`, translations: translations(t) }), 'publish');
    const byId = () => api(`/catalog/${live.id}?lang=en`, { token: viewer.token });
    const bySlug = () => api(`/catalog/gone-${t}?lang=en`, { token: viewer.token });
    expect((await byId()).status).toBe(200);
    expect((await bySlug()).status).toBe(200);
    // Served from Redis now: only a version bump can make the next read miss it.
    await servedFromRedis(byId);
    await servedFromRedis(bySlug);

    const archived = await publication(editor.accessToken, live, 'unpublish');
    expect(archived.status).toBe('archived');
    await expectEnvelope(await byId(), 404, 'NOT_FOUND');
    await expectEnvelope(await bySlug(), 404, 'NOT_FOUND');
  });

  it('publishing a taken-down title again dates it now, as a new release; publishing a live one keeps its date', async () => {
    const editor = await signInAs('editor');
    const viewer = await viewerWithProfile();
    const t = tag();
    const first = await publication(editor.accessToken, await create(editor.accessToken, { translations: translations(t) }), 'publish');
    const again = await publication(editor.accessToken, first, 'publish');
    expect(again.publishedAt).toBe(first.publishedAt);

    const archived = await publication(editor.accessToken, again, 'unpublish');
    expect(archived.publishedAt).toBe(first.publishedAt);
    const back = await publication(editor.accessToken, archived, 'publish');
    expect(back.status).toBe('published');
    expect(Date.parse(back.publishedAt!)).toBeGreaterThan(Date.parse(first.publishedAt!));

    const seen = (await (await api(`/catalog/${first.id}?lang=en`, { token: viewer.token })).json()) as { publishedAt: string };
    expect(Date.parse(seen.publishedAt)).toBe(Date.parse(back.publishedAt!));
  });
});
