// The shared visibility rule (migration 0013): live = published, or scheduled
// with publish_at passed; visible = live and within the profile's maturity cap.
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();

async function visible(status: string, publishAtSql: string, rating: number, cap: number | null): Promise<boolean> {
  const { rows } = await t.client.query(
    `SELECT catalog_is_visible($1, ${publishAtSql}, $2::smallint, $3::smallint) AS v`,
    [status, rating, cap],
  );
  return rows[0].v as boolean;
}

describe('catalog_is_visible', () => {
  it('shows published rows and scheduled rows whose time has come, nothing else', async () => {
    expect(await visible('published', `now() - interval '1 day'`, 0, null)).toBe(true);
    expect(await visible('scheduled', `now() - interval '1 second'`, 0, null)).toBe(true);
    expect(await visible('scheduled', `now() + interval '1 minute'`, 0, null)).toBe(false);
    expect(await visible('draft', `now() - interval '1 day'`, 0, null)).toBe(false);
    expect(await visible('archived', `now() - interval '1 day'`, 0, null)).toBe(false);
  });

  it('applies the profile maturity cap, and no cap without a profile', async () => {
    expect(await visible('published', 'NULL', 12, 12)).toBe(true);
    expect(await visible('published', 'NULL', 15, 12)).toBe(false);
    expect(await visible('published', 'NULL', 18, null)).toBe(true);
  });

  it('orders live rows by when they went live', async () => {
    const { rows } = await t.client.query(
      `SELECT catalog_live_since('scheduled', '2026-01-02T00:00:00Z', NULL) AS s, catalog_live_since('published', NULL, '2026-01-01T00:00:00Z') AS p`,
    );
    expect(new Date(rows[0].s).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(new Date(rows[0].p).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
