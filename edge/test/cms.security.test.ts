// Every CMS route, as listed in the OpenAPI document (so a new route is covered
// without editing this file): anonymous callers get 401, viewers 403, and an
// id that is not a uuid answers the 400 envelope naming it.
import { describe, expect, it } from 'vitest';
import { api, signInAs } from './auth-helpers.ts';
import { call, expectEnvelope } from './helpers.ts';

interface Route {
  method: string;
  path: string;
}

async function cmsRoutes(): Promise<Route[]> {
  const res = await call('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op.tags?.includes('cms'))
      .map(([method]) => ({ method: method.toUpperCase(), path })),
  );
}

const at = (r: Route, id: string) => r.path.replace('{id}', id);
const bodyless = (method: string) => method === 'GET';

// A valid body per route taking an id, so the only thing wrong is the id.
const VALID_BODY: Record<string, unknown> = {
  'GET /admin/content/{id}': undefined,
  'PATCH /admin/content/{id}': { updatedAt: '2024-01-01 00:00:00+00' },
  'POST /admin/content/{id}/publication': { action: 'publish', updatedAt: '2024-01-01 00:00:00+00' },
  'POST /admin/content/{id}/seasons': { seasonNumber: 1 },
  'POST /admin/seasons/{id}/episodes': { episodeNumber: 1, translations: { fa: { title: 'یک' }, en: { title: 'One' } } },
  'PATCH /admin/episodes/{id}': { episodeNumber: 2 },
};

describe('CMS security', () => {
  it('lists the CMS routes this file walks', async () => {
    const routes = (await cmsRoutes()).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(
      expect.arrayContaining(['POST /admin/content', 'GET /admin/content', 'GET /admin/genres', 'POST /admin/genres', ...Object.keys(VALID_BODY)]),
    );
  });

  it('answers 401 to an anonymous caller on every CMS route', async () => {
    for (const r of await cmsRoutes()) {
      const res = await api(at(r, crypto.randomUUID()), { method: r.method, body: bodyless(r.method) ? undefined : {} });
      await expectEnvelope(res, 401, 'UNAUTHORIZED').catch((e: Error) => {
        throw new Error(`${r.method} ${r.path}: ${e.message}`);
      });
    }
  });

  it('answers 403 to a viewer on every CMS route', async () => {
    const viewer = await signInAs('viewer');
    for (const r of await cmsRoutes()) {
      const res = await api(at(r, crypto.randomUUID()), { method: r.method, token: viewer.accessToken, body: bodyless(r.method) ? undefined : {} });
      await expectEnvelope(res, 403, 'FORBIDDEN').catch((e: Error) => {
        throw new Error(`${r.method} ${r.path}: ${e.message}`);
      });
    }
  });

  it('answers 400 naming the id when it is not a uuid, on every CMS route taking one', async () => {
    const editor = await signInAs('editor');
    const withId = (await cmsRoutes()).filter((r) => r.path.includes('{id}'));
    expect(withId.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(VALID_BODY).sort());
    for (const r of withId) {
      for (const bad of ['not-a-uuid', '12345', `${crypto.randomUUID()}x`]) {
        const res = await api(at(r, bad), { method: r.method, token: editor.accessToken, body: VALID_BODY[`${r.method} ${r.path}`] });
        const body = await expectEnvelope(res, 400, 'VALIDATION_FAILED');
        expect(body.error.details.issues.map((i: { path: string }) => i.path), `${r.method} ${r.path} with ${bad}`).toEqual(['path.id']);
        expect(body.error.message).toContain('path.id');
      }
    }
  });

  it('answers 400 to unknown fields rather than ignoring them', async () => {
    const editor = await signInAs('editor');
    const unknown = await expectEnvelope(await api('/admin/content', { token: editor.accessToken, body: { type: 'movie', originalLanguage: 'fa', status: 'published' } }), 400, 'VALIDATION_FAILED');
    expect(unknown.error.message).toContain('status');
    await expectEnvelope(await api('/admin/genres', { token: editor.accessToken, body: { slug: 'x', fa: 'x', en: 'x', sortOrder: 1 } }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api(`/admin/episodes/${crypto.randomUUID()}`, { method: 'PATCH', token: editor.accessToken, body: { status: 'published' } }), 400, 'VALIDATION_FAILED');
  });
});
