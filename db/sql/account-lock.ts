// The per-account lock behind the device and profile limits.
//
// Why a separate statement (and not a `FOR UPDATE` CTE inside the insert):
// under READ COMMITTED, Postgres takes ONE snapshot per statement, when the
// statement starts. A CTE that locks the user row (or calls
// pg_advisory_xact_lock) does wait for a concurrent registration to commit,
// but the count of devices in the same statement still reads the snapshot
// taken before the wait, so two registrations at N-1 devices both see N-1 and
// both insert. Only the locked row itself is re-read (EvalPlanQual), not the
// other tables. db/test/devices.test.ts shows this happening.
//
// So a limited insert runs as a batch (Db.batch: over Neon HTTP one
// non-interactive transaction, over pg BEGIN/COMMIT) of two statements:
//   1. lockAccount(userId)   - waits for any other limited write of this user
//                              and holds the lock until COMMIT;
//   2. the counted insert    - a new statement, hence a new snapshot taken
//                              after the lock was granted: it sees every row
//                              the previous holder committed.
// This needs READ COMMITTED (Postgres's and Neon's default): under REPEATABLE
// READ the snapshot of statement 1 would be reused and the count would be
// stale again.
//
// FOR NO KEY UPDATE rather than FOR UPDATE: it conflicts with itself (what
// serialises the limited writes) but not with the FOR KEY SHARE lock that
// every foreign-key insert referencing users takes, so sign-ins, refreshes and
// history writes of the same user are never blocked by it.
import { sql, type Statement } from './statement.ts';

/**
 * Locks the account row until the end of the batch (disabled or not, so every
 * limited write of the account is serialised); no row when it does not exist.
 * The statement after it decides what a disabled account may do.
 */
export function lockAccount(userId: string): Statement<{ id: string }> {
  return sql(`SELECT id FROM users WHERE id = $1::uuid FOR NO KEY UPDATE`, [userId]);
}

/**
 * The tier in force for the user (the live subscription's, else 'free') and
 * its limits, as a FROM-able subquery aliased `tier` over the parameter `$1`.
 * Shared by the device and profile statements so both read the same rule.
 */
export const TIER_OF_USER_1 = `(
  SELECT t.tier, t.max_devices, t.max_profiles
  FROM subscription_tiers t
  WHERE t.tier = COALESCE((SELECT s.tier FROM subscriptions s
                           WHERE s.user_id = $1::uuid AND s.status IN ('trialing', 'active', 'past_due')), 'free')
) AS tier`;
