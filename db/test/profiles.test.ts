import { neon, neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createProfile, deleteProfile, listProfiles, renameProfile, type CreateProfileInput, type CreateProfileRow } from '../sql/profiles.ts';
import { createAccount } from './helpers/accounts.ts';
import { batch, expectPgError, run, useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();

async function create(input: CreateProfileInput, on: pg.Client = t.client): Promise<CreateProfileRow[]> {
  const [, rows] = await batch(on, createProfile(input));
  return rows as CreateProfileRow[];
}

async function remove(userId: string, profileId: string, on: pg.Client = t.client): Promise<string> {
  const [, rows] = await batch(on, deleteProfile({ userId, profileId }));
  return (rows as { outcome: string }[])[0]!.outcome;
}

async function connections(n: number): Promise<pg.Client[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = new pg.Client({ connectionString: t.db.url });
      await c.connect();
      return c;
    }),
  );
}

describe('createProfile', () => {
  it('creates an adult profile (maturity 18, the account locale) with a trimmed name', async () => {
    const userId = await createAccount(t.client);
    const rows = await create({ userId, name: '  سارا  ', kids: false });
    expect(rows).toEqual([
      {
        outcome: 'created',
        tier: 'free',
        maxProfiles: 1,
        id: expect.any(String),
        name: 'سارا',
        avatarKey: null,
        isKids: false,
        maturityCap: 18,
        locale: 'fa',
        createdAt: expect.any(Date),
      },
    ]);
  });

  it('caps a kids profile at 7 by default, accepts 12, and refuses a kids profile above 12', async () => {
    const userId = await createAccount(t.client, { tier: 'premium' });
    expect((await create({ userId, name: 'Kid', kids: true, locale: 'en' }))[0]).toMatchObject({ isKids: true, maturityCap: 7, locale: 'en' });
    expect((await create({ userId, name: 'Teen', kids: true, maturityCap: 12 }))[0]).toMatchObject({ isKids: true, maturityCap: 12 });
    await expectPgError(create({ userId, name: 'Not a kid', kids: true, maturityCap: 18 }), '23514', 'profiles_kids_capped');
  });

  it('refuses past the tier limit and lists the existing profiles; a taken name is told apart', async () => {
    const userId = await createAccount(t.client, { tier: 'basic' }); // max_profiles 2
    await create({ userId, name: 'Ali', kids: false });
    expect((await create({ userId, name: 'Ali', kids: true })).map((r) => [r.outcome, r.name])).toEqual([['name_taken', 'Ali']]);
    await create({ userId, name: 'Mina', kids: false });
    const refused = await create({ userId, name: 'Third', kids: false });
    expect(refused.map((r) => [r.outcome, r.name, r.maxProfiles, r.tier])).toEqual([
      ['limit_reached', 'Ali', 2, 'basic'],
      ['limit_reached', 'Mina', 2, 'basic'],
    ]);
    expect(await run(t.client, listProfiles(userId))).toHaveLength(2);
  });

  it('answers no rows for a disabled account', async () => {
    const userId = await createAccount(t.client, { disabled: true });
    expect(await create({ userId, name: 'X', kids: false })).toEqual([]);
    expect(await run(t.client, listProfiles(userId))).toEqual([]);
  });

  it('leaves exactly N profiles after N+5 concurrent creations (separate pg connections)', async () => {
    const userId = await createAccount(t.client, { tier: 'standard' }); // max_profiles 4
    const clients = await connections(4 + 5);
    try {
      const results = await Promise.all(clients.map((c, i) => create({ userId, name: `Profile ${i}`, kids: false }, c)));
      expect(results.filter((rows) => rows[0]?.outcome === 'created')).toHaveLength(4);
      expect(results.filter((rows) => rows[0]?.outcome === 'limit_reached')).toHaveLength(5);
      expect(await run(t.client, listProfiles(userId))).toHaveLength(4);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('leaves exactly N profiles after N+5 concurrent creations over the Neon HTTP driver', async () => {
    const endpoint = process.env.NEON_FETCH_ENDPOINT;
    if (!endpoint) throw new Error('NEON_FETCH_ENDPOINT is not set: run through vitest with the test stack');
    neonConfig.fetchEndpoint = endpoint;
    const userId = await createAccount(t.client, { tier: 'premium' }); // max_profiles 5
    const http = neon(t.db.url);
    const results = await Promise.all(
      Array.from({ length: 5 + 5 }, async (_, i) => {
        const [, rows] = await http.transaction(createProfile({ userId, name: `HTTP ${i}`, kids: i % 2 === 0 }).map((s) => http.query(s.text, [...s.params])));
        return rows as CreateProfileRow[];
      }),
    );
    expect(results.filter((rows) => rows[0]?.outcome === 'created')).toHaveLength(5);
    expect(results.filter((rows) => rows[0]?.outcome === 'limit_reached')).toHaveLength(5);
    expect(await run(t.client, listProfiles(userId))).toHaveLength(5);
  });
});

describe('listProfiles / renameProfile', () => {
  it("lists the account's profiles oldest first and renames only the user's own", async () => {
    const userId = await createAccount(t.client, { tier: 'basic' });
    const other = await createAccount(t.client);
    const [a] = await create({ userId, name: 'A', kids: false });
    const [b] = await create({ userId, name: 'B', kids: true });
    const [theirs] = await create({ userId: other, name: 'Theirs', kids: false });
    expect((await run(t.client, listProfiles(userId))).map((p) => p.id)).toEqual([a!.id, b!.id]);

    expect(await run(t.client, renameProfile({ userId, profileId: b!.id, name: ' Kids ' }))).toEqual([expect.objectContaining({ id: b!.id, name: 'Kids' })]);
    expect(await run(t.client, renameProfile({ userId, profileId: theirs!.id, name: 'Mine' }))).toEqual([]);
    expect((await run(t.client, listProfiles(other)))[0]!.name).toBe('Theirs');
    await expectPgError(run(t.client, renameProfile({ userId, profileId: b!.id, name: 'A' })), '23505', 'profiles_name_unique');
  });
});

describe('deleteProfile', () => {
  it("deletes a profile, never the last one, and never another user's", async () => {
    const userId = await createAccount(t.client, { tier: 'basic' });
    const other = await createAccount(t.client);
    const [a] = await create({ userId, name: 'A', kids: false });
    const [b] = await create({ userId, name: 'B', kids: false });
    const [theirs] = await create({ userId: other, name: 'Theirs', kids: false });

    expect(await remove(userId, theirs!.id)).toBe('not_found');
    expect(await remove(other, theirs!.id)).toBe('last_profile');
    expect(await remove(userId, a!.id)).toBe('deleted');
    expect(await remove(userId, a!.id)).toBe('not_found');
    expect(await remove(userId, b!.id)).toBe('last_profile');
    expect((await run(t.client, listProfiles(userId))).map((p) => p.id)).toEqual([b!.id]);
  });

  it('clears the profile from sessions that had it active', async () => {
    const userId = await createAccount(t.client, { tier: 'basic' });
    await create({ userId, name: 'Main', kids: false });
    const [kids] = await create({ userId, name: 'Kids', kids: true });
    const { rows: dev } = await t.client.query(`INSERT INTO devices (user_id, install_id, platform) VALUES ($1, 'install-profile-test', 'ios') RETURNING id`, [userId]);
    const { rows: fam } = await t.client.query(
      `INSERT INTO refresh_token_families (user_id, device_id, expires_at, active_profile_id) VALUES ($1, $2, now() + interval '1 day', $3) RETURNING id`,
      [userId, dev[0].id, kids!.id],
    );
    expect(await remove(userId, kids!.id)).toBe('deleted');
    const { rows } = await t.client.query('SELECT active_profile_id FROM refresh_token_families WHERE id = $1', [fam[0].id]);
    expect(rows[0].active_profile_id).toBeNull();
  });

  it('keeps one profile when the last two are deleted concurrently, repeatedly', async () => {
    for (let round = 0; round < 5; round++) {
      const userId = await createAccount(t.client, { tier: 'basic' });
      const [a] = await create({ userId, name: 'A', kids: false });
      const [b] = await create({ userId, name: 'B', kids: false });
      const clients = await connections(2);
      try {
        const outcomes = await Promise.all([remove(userId, a!.id, clients[0]), remove(userId, b!.id, clients[1])]);
        expect(outcomes.sort()).toEqual(['deleted', 'last_profile']);
        expect(await run(t.client, listProfiles(userId))).toHaveLength(1);
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
    }
  });
});
