import { neon, neonConfig } from '@neondatabase/serverless';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { listDevices, registerDevice, renameDevice, revokeDevice, type RegisterDeviceInput, type RegisterDeviceRow } from '../sql/devices.ts';
import { createAccount } from './helpers/accounts.ts';
import { batch, run, withClient, useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();

let installs = 0;
const device = (userId: string, over: Partial<RegisterDeviceInput> = {}): RegisterDeviceInput => ({
  userId,
  installId: `install-${Date.now()}-${++installs}`,
  name: 'Living-room TV',
  platform: 'tv',
  appVersion: '3.2.1',
  ...over,
});

async function register(input: RegisterDeviceInput, on: pg.Client = t.client): Promise<RegisterDeviceRow[]> {
  const [, rows] = await batch(on, registerDevice(input));
  return rows as RegisterDeviceRow[];
}

async function liveCount(userId: string): Promise<number> {
  const { rows } = await t.client.query('SELECT count(*)::int AS n FROM devices WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  return rows[0].n;
}

async function openFamily(userId: string, deviceId: string): Promise<string> {
  const { rows } = await t.client.query(
    `INSERT INTO refresh_token_families (user_id, device_id, expires_at) VALUES ($1, $2, now() + interval '30 days') RETURNING id`,
    [userId, deviceId],
  );
  return rows[0].id;
}

/** Resolves once `n` backends of this database wait on a lock. */
async function waitForLockWaiters(n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0].n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no backend started waiting on a lock`);
}

describe('registerDevice', () => {
  it('registers a new install on a free account (limit 1) with its name, platform and app version', async () => {
    const userId = await createAccount(t.client);
    const input = device(userId);
    const rows = await register(input);
    expect(rows).toEqual([
      {
        outcome: 'registered',
        tier: 'free',
        maxDevices: 1,
        id: expect.any(String),
        installId: input.installId,
        platform: 'tv',
        name: 'Living-room TV',
        appVersion: '3.2.1',
        lastSeenAt: expect.any(Date),
        createdAt: expect.any(Date),
      },
    ]);
  });

  it('refreshes the same install instead of taking a second slot, even at the limit', async () => {
    const userId = await createAccount(t.client);
    const input = device(userId);
    const [first] = await register(input);
    await new Promise((r) => setTimeout(r, 5));
    const [again] = await register({ ...input, name: null, appVersion: '3.3.0', platform: 'tv' });
    expect(again).toMatchObject({ outcome: 'registered', id: first!.id, name: 'Living-room TV', appVersion: '3.3.0' });
    expect(again!.lastSeenAt.getTime()).toBeGreaterThan(first!.lastSeenAt.getTime());
    expect(await liveCount(userId)).toBe(1);
  });

  it('refuses a new install at the limit, writes nothing and lists the devices to remove', async () => {
    const userId = await createAccount(t.client, { tier: 'basic' });
    const a = await register(device(userId, { name: 'Phone' }));
    const b = await register(device(userId, { name: 'Laptop', platform: 'web' }));
    const refused = await register(device(userId, { name: 'Tablet' }));
    expect(refused.map((r) => [r.outcome, r.name, r.maxDevices, r.tier])).toEqual([
      ['limit_reached', 'Laptop', 2, 'basic'],
      ['limit_reached', 'Phone', 2, 'basic'],
    ]);
    expect(refused.map((r) => r.id).sort()).toEqual([a[0]!.id, b[0]!.id].sort());
    expect(await run(t.client, listDevices(userId))).toHaveLength(2);
  });

  it('takes the limit from the live subscription only: a canceled one counts as free', async () => {
    const premium = await createAccount(t.client, { tier: 'premium' });
    const canceled = await createAccount(t.client, { tier: 'premium', subscriptionStatus: 'canceled' });
    expect((await register(device(premium)))[0]).toMatchObject({ tier: 'premium', maxDevices: 6 });
    expect((await register(device(canceled)))[0]).toMatchObject({ tier: 'free', maxDevices: 1 });
    expect((await register(device(canceled)))[0]).toMatchObject({ outcome: 'limit_reached' });
  });

  it('counts only live devices: a revoked one frees its slot, and comes back only when there is room', async () => {
    const userId = await createAccount(t.client);
    const old = device(userId, { name: 'Old phone' });
    const [oldRow] = await register(old);
    await run(t.client, revokeDevice({ userId, deviceId: oldRow!.id, recentSeconds: 900 }));

    const [fresh] = await register(device(userId, { name: 'New phone' }));
    expect(fresh).toMatchObject({ outcome: 'registered' });
    // The revoked install signs in again: it would be a second live device.
    expect((await register(old))[0]).toMatchObject({ outcome: 'limit_reached', id: fresh!.id });

    await run(t.client, revokeDevice({ userId, deviceId: fresh!.id, recentSeconds: 900 }));
    const [back] = await register(old);
    expect(back).toMatchObject({ outcome: 'registered', id: oldRow!.id });
    expect(await liveCount(userId)).toBe(1);
  });

  it('answers no rows for a disabled or unknown account and writes nothing', async () => {
    const disabled = await createAccount(t.client, { disabled: true });
    expect(await register(device(disabled))).toEqual([]);
    expect(await liveCount(disabled)).toBe(0);
    expect(await register(device(crypto.randomUUID()))).toEqual([]);
  });

  it('leaves exactly N devices after N+5 concurrent registrations (separate pg connections)', async () => {
    const userId = await createAccount(t.client, { tier: 'standard' }); // max_devices 4
    const n = 4;
    const clients = await Promise.all(
      Array.from({ length: n + 5 }, async () => {
        const c = new pg.Client({ connectionString: t.db.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.all(clients.map((c) => register(device(userId), c)));
      const registered = results.filter((rows) => rows[0]?.outcome === 'registered');
      const refused = results.filter((rows) => rows[0]?.outcome === 'limit_reached');
      expect(registered).toHaveLength(n);
      expect(refused).toHaveLength(5);
      // Each refusal names exactly the devices that won.
      const winners = registered.map((rows) => rows[0]!.id).sort();
      for (const rows of refused) expect(rows.map((r) => r.id).sort()).toEqual(winners);
      expect(await liveCount(userId)).toBe(n);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('a registration waiting on the lock sees the rows the holder committed (deterministic interleaving)', async () => {
    const userId = await createAccount(t.client); // limit 1
    await withClient(t.db.url, async (holder) => {
      await holder.query('BEGIN');
      const [, first] = registerDevice(device(userId, { name: 'First' }));
      await run(holder, registerDevice(device(userId))[0]);
      await run(holder, first);
      // The second registration starts now and must wait for the lock...
      const second = withClient(t.db.url, (c) => register(device(userId, { name: 'Second' }), c));
      await waitForLockWaiters(1);
      // ...and, once the first commits, count the committed device.
      await holder.query('COMMIT');
      expect((await second).map((r) => [r.outcome, r.name])).toEqual([['limit_reached', 'First']]);
    });
    expect(await liveCount(userId)).toBe(1);
  });

  it('why the lock is its own statement: a lock inside the counting statement does not stop the race', async () => {
    // The same interleaving against a single statement that locks the user
    // row in a CTE first: under READ COMMITTED it waits for the lock, but its
    // count reads the snapshot taken when the statement began, so it inserts
    // a second device on a free account. registerDevice avoids exactly this.
    const userId = await createAccount(t.client);
    const oneStatement = `
      WITH locked AS (SELECT id FROM users WHERE id = $1::uuid FOR NO KEY UPDATE)
      INSERT INTO devices (user_id, install_id, platform)
      SELECT locked.id, $2, 'web' FROM locked
      WHERE (SELECT count(*) FROM devices d WHERE d.user_id = locked.id AND d.revoked_at IS NULL) < 1
      RETURNING id`;
    await withClient(t.db.url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query(oneStatement, [userId, `install-a-${Date.now()}`]);
      const racing = withClient(t.db.url, (c) => c.query(oneStatement, [userId, `install-b-${Date.now()}`]));
      await waitForLockWaiters(1);
      await holder.query('COMMIT');
      expect((await racing).rowCount).toBe(1);
    });
    expect(await liveCount(userId)).toBe(2);
  });

  describe('over the Neon HTTP driver (how the edge runs it)', () => {
    beforeAll(() => {
      const endpoint = process.env.NEON_FETCH_ENDPOINT;
      if (!endpoint) throw new Error('NEON_FETCH_ENDPOINT is not set: run through vitest with the test stack');
      neonConfig.fetchEndpoint = endpoint;
    });

    async function registerOverHttp(input: RegisterDeviceInput): Promise<RegisterDeviceRow[]> {
      const http = neon(t.db.url);
      const [, rows] = await http.transaction(registerDevice(input).map((s) => http.query(s.text, [...s.params])));
      return rows as RegisterDeviceRow[];
    }

    it('registers and refuses with typed rows (dates as Date, numbers as numbers)', async () => {
      const userId = await createAccount(t.client);
      const [ok] = await registerOverHttp(device(userId));
      expect(ok).toMatchObject({ outcome: 'registered', maxDevices: 1, tier: 'free' });
      expect(ok!.lastSeenAt).toBeInstanceOf(Date);
      expect((await registerOverHttp(device(userId)))[0]).toMatchObject({ outcome: 'limit_reached', id: ok!.id });
    });

    it('leaves exactly N devices after N+5 concurrent HTTP batches', async () => {
      const userId = await createAccount(t.client, { tier: 'basic' }); // max_devices 2
      const results = await Promise.all(Array.from({ length: 2 + 5 }, () => registerOverHttp(device(userId))));
      expect(results.filter((rows) => rows[0]?.outcome === 'registered')).toHaveLength(2);
      expect(results.filter((rows) => rows[0]?.outcome === 'limit_reached')).toHaveLength(5);
      expect(await liveCount(userId)).toBe(2);
    });
  });
});

describe('listDevices / renameDevice', () => {
  it("lists only the user's live devices, most recently seen first", async () => {
    const userId = await createAccount(t.client, { tier: 'premium' });
    const other = await createAccount(t.client, { tier: 'premium' });
    const [a] = await register(device(userId, { name: 'A' }));
    await new Promise((r) => setTimeout(r, 5));
    const [b] = await register(device(userId, { name: 'B' }));
    const [c] = await register(device(userId, { name: 'C' }));
    await register(device(other, { name: 'Not mine' }));
    await run(t.client, revokeDevice({ userId, deviceId: c!.id, recentSeconds: 900 }));
    expect((await run(t.client, listDevices(userId))).map((d) => d.id)).toEqual([b!.id, a!.id]);
  });

  it("renames a live device of the user, never another user's or a revoked one", async () => {
    const userId = await createAccount(t.client, { tier: 'basic' });
    const other = await createAccount(t.client, { tier: 'basic' });
    const [mine] = await register(device(userId));
    const [theirs] = await register(device(other, { name: 'Theirs' }));
    expect(await run(t.client, renameDevice({ userId, deviceId: mine!.id, name: 'تلویزیون پذیرایی' }))).toEqual([
      expect.objectContaining({ id: mine!.id, name: 'تلویزیون پذیرایی' }),
    ]);
    expect(await run(t.client, renameDevice({ userId, deviceId: theirs!.id, name: 'Mine now' }))).toEqual([]);
    expect((await run(t.client, listDevices(other)))[0]!.name).toBe('Theirs');
    await run(t.client, revokeDevice({ userId, deviceId: mine!.id, recentSeconds: 900 }));
    expect(await run(t.client, renameDevice({ userId, deviceId: mine!.id, name: 'Gone' }))).toEqual([]);
  });
});

describe('revokeDevice', () => {
  it('revokes the device and its live sessions in one statement and returns those session ids', async () => {
    const userId = await createAccount(t.client, { tier: 'basic' });
    const [phone] = await register(device(userId, { name: 'Phone' }));
    const [laptop] = await register(device(userId, { name: 'Laptop' }));
    const s1 = await openFamily(userId, phone!.id);
    const s2 = await openFamily(userId, phone!.id);
    const ended = await openFamily(userId, phone!.id);
    await t.client.query(`UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'sign_out' WHERE id = $1`, [ended]);
    const elsewhere = await openFamily(userId, laptop!.id);

    const [revoked] = await run(t.client, revokeDevice({ userId, deviceId: phone!.id, recentSeconds: 900 }));
    expect(revoked).toEqual({ deviceId: phone!.id, sessionIds: [s1, s2].sort() });

    const { rows } = await t.client.query(`SELECT id, revoked_reason FROM refresh_token_families WHERE user_id = $1 ORDER BY id`, [userId]);
    const reasons = Object.fromEntries(rows.map((r) => [r.id, r.revoked_reason]));
    expect(reasons).toEqual({ [s1]: 'device_revoked', [s2]: 'device_revoked', [ended]: 'sign_out', [elsewhere]: null });
    expect(await liveCount(userId)).toBe(1);
  });

  it("returns an empty list for a device without sessions, and no row for another user's or a revoked device", async () => {
    const userId = await createAccount(t.client);
    const other = await createAccount(t.client);
    const [mine] = await register(device(userId));
    const [theirs] = await register(device(other));
    const theirSession = await openFamily(other, theirs!.id);

    expect(await run(t.client, revokeDevice({ userId, deviceId: theirs!.id, recentSeconds: 900 }))).toEqual([]);
    expect(await liveCount(other)).toBe(1);
    const { rows } = await t.client.query('SELECT revoked_at FROM refresh_token_families WHERE id = $1', [theirSession]);
    expect(rows[0].revoked_at).toBeNull();

    expect(await run(t.client, revokeDevice({ userId, deviceId: mine!.id, recentSeconds: 900 }))).toEqual([{ deviceId: mine!.id, sessionIds: [] }]);
    // Revoked longer ago than the window: nothing.
    await t.client.query(`UPDATE devices SET revoked_at = now() - interval '1 hour' WHERE id = $1`, [mine!.id]);
    expect(await run(t.client, revokeDevice({ userId, deviceId: mine!.id, recentSeconds: 900 }))).toEqual([]);
  });

  it('answers a repeated revoke within the window with the same sessions, so a failed deny-list write can be retried', async () => {
    const userId = await createAccount(t.client);
    const [phone] = await register(device(userId));
    const s1 = await openFamily(userId, phone!.id);
    const first = await run(t.client, revokeDevice({ userId, deviceId: phone!.id, recentSeconds: 900 }));
    const again = await run(t.client, revokeDevice({ userId, deviceId: phone!.id, recentSeconds: 900 }));
    expect(first).toEqual([{ deviceId: phone!.id, sessionIds: [s1] }]);
    expect(again).toEqual(first);
    const { rows } = await t.client.query('SELECT revoked_at FROM devices WHERE id = $1', [phone!.id]);
    const [{ revoked_at: revokedAt }] = rows;
    // The retry does not move the revocation time.
    expect((await run(t.client, revokeDevice({ userId, deviceId: phone!.id, recentSeconds: 900 })))[0]!.sessionIds).toEqual([s1]);
    expect((await t.client.query('SELECT revoked_at FROM devices WHERE id = $1', [phone!.id])).rows[0].revoked_at).toEqual(revokedAt);
  });
});
