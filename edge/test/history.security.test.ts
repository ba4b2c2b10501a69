// Watch history is per profile (issue 4): two profiles of the SAME account
// (same user, same session) see and edit only their own progress.
import { describe, expect, it } from 'vitest';
import { api, insertProfile } from './auth-helpers.ts';
import { movie, viewerWithProfile } from './playback-helpers.ts';

const beat = async (token: string, contentId: string, positionSeconds: number) => expect((await api('/history/heartbeat', { token, body: { contentId, positionSeconds } })).status).toBe(202);
const item = async (token: string, contentId: string) => ((await (await api(`/history/item?contentId=${contentId}`, { token })).json()) as { item: { positionSeconds: number; state: string } | null }).item;
const history = async (token: string) => ((await (await api('/history', { token })).json()) as { items: { contentId: string }[] }).items.map((i) => i.contentId);
const rail = async (token: string) => ((await (await api('/history/continue', { token })).json()) as { items: { contentId: string }[] }).items.map((i) => i.contentId);

describe('history between profiles of one account', () => {
  it('keeps reads and edits apart', async () => {
    const v = await viewerWithProfile();
    const res = await api('/auth/session/profile', { method: 'PUT', token: v.token, body: { profileId: await insertProfile(v.userId, 'Second') } });
    const second = ((await res.json()) as { accessToken: string }).accessToken;
    const [film, other] = [await movie(), await movie()];
    await beat(v.token, film.contentId, 60);

    expect(await item(second, film.contentId)).toBeNull();
    expect(await history(second)).toEqual([]);
    expect(await rail(second)).toEqual([]);

    // The second profile's own progress on the same title, and its edits, stay its own.
    await beat(second, film.contentId, 30);
    await beat(second, other.contentId, 40);
    expect((await api('/history/watched', { method: 'PUT', token: second, body: { contentId: film.contentId, watched: true } })).status).toBe(200);
    expect(await item(v.token, film.contentId)).toMatchObject({ positionSeconds: 60, state: 'in_progress' });
    expect((await api(`/history/item?contentId=${film.contentId}`, { method: 'DELETE', token: second })).status).toBe(204);
    expect(await item(v.token, film.contentId)).toMatchObject({ positionSeconds: 60 });
    expect((await api('/history', { method: 'DELETE', token: second })).status).toBe(204);
    expect(await history(second)).toEqual([]);
    expect(await history(v.token)).toEqual([film.contentId]);
    expect(await rail(v.token)).toEqual([film.contentId]);
  });
});
