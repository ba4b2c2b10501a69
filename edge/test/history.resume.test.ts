// Resume rules (issue 4) at their exact boundaries: under RESUME_MIN_PERCENT
// a position does not resume, at or past RESUME_MAX_PERCENT the title counts
// watched, in between it resumes; and both are read from the environment.
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/env.ts';
import { api, uniqueIp } from './auth-helpers.ts';
import { call, envWith } from './helpers.ts';
import { movie, viewerWithProfile } from './playback-helpers.ts';

type State = { state: string; resumeSeconds: number };

/** A heartbeat, then the item read back, through an app running on `bindings` (the test env unless told). */
async function beatAndRead(token: string, contentId: string, positionSeconds: number, bindings?: Env): Promise<{ beat: State; item: State }> {
  const headers = { Authorization: `Bearer ${token}`, 'CF-Connecting-IP': uniqueIp(), 'Content-Type': 'application/json' };
  const beat = await call('/api/v1/history/heartbeat', { method: 'POST', headers, body: JSON.stringify({ contentId, positionSeconds }) }, bindings);
  expect(beat.status).toBe(202);
  const read = await call(`/api/v1/history/item?contentId=${contentId}`, { headers }, bindings);
  const { item } = (await read.json()) as { item: State };
  return { beat: (await beat.json()) as State, item: { state: item.state, resumeSeconds: item.resumeSeconds } };
}

const onRail = async (token: string, contentId: string) =>
  ((await (await api('/history/continue', { token })).json()) as { items: { contentId: string }[] }).items.some((i) => i.contentId === contentId);

describe('resume rules', () => {
  // Each title is 120 s long: 5% is 6 s, 90% is 108 s.
  it.each([
    [5.9, 'not_started', 0],
    [6, 'in_progress', 6],
    [107.9, 'in_progress', 107],
    [108, 'watched', 0],
    [119, 'watched', 0],
  ] as const)('at %s s of 120: %s, resuming at %s', async (position, state, resumeSeconds) => {
    const v = await viewerWithProfile();
    const film = await movie();
    const { beat, item } = await beatAndRead(v.token, film.contentId, position);
    expect(beat).toEqual({ state, resumeSeconds });
    expect(item).toEqual({ state, resumeSeconds });
    // Only a title in progress is offered to continue.
    expect(await onRail(v.token, film.contentId)).toBe(state === 'in_progress');
  });

  it('follows RESUME_MIN_PERCENT and RESUME_MAX_PERCENT', async () => {
    const v = await viewerWithProfile();
    const bindings = envWith({ RESUME_MIN_PERCENT: '10', RESUME_MAX_PERCENT: '95' });
    const cases = [
      [11.9, { state: 'not_started', resumeSeconds: 0 }], // 9.9%: resumes under the defaults
      [12, { state: 'in_progress', resumeSeconds: 12 }],
      [108, { state: 'in_progress', resumeSeconds: 108 }], // 90%: watched under the defaults
      [113.9, { state: 'in_progress', resumeSeconds: 113 }],
      [114, { state: 'watched', resumeSeconds: 0 }],
    ] as const;
    for (const [position, expected] of cases) {
      const film = await movie();
      expect(await beatAndRead(v.token, film.contentId, position, bindings)).toEqual({ beat: expected, item: expected });
    }
    // The defaults, on the same positions, say otherwise: the variables are what changed the answer.
    expect((await beatAndRead(v.token, (await movie()).contentId, 11.9)).beat).toEqual({ state: 'in_progress', resumeSeconds: 11 });
    expect((await beatAndRead(v.token, (await movie()).contentId, 108)).beat).toEqual({ state: 'watched', resumeSeconds: 0 });
  });
});
