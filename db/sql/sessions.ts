// Sessions = refresh-token families. A sign-in opens a family bound to a
// device; every refresh marks the presented token used and inserts its
// successor; presenting a token that was already used revokes the family
// (reuse detection). Over Neon HTTP transactions are not interactive, so every
// read-then-write decision here is a single statement.
import { sql, type Statement } from './statement.ts';
import type { Tier } from './devices.ts';
import type { MaturityCap } from './profiles.ts';
import type { UserRole } from './users.ts';

export interface OpenedSession {
  sessionId: string;
  deviceId: string;
  expiresAt: Date;
  activeProfileId: string | null;
}

/**
 * Opens a family on the user's live device `installId` with its first token
 * (hex SHA-256). Run it in one batch after registerDevice (db/sql/devices.ts),
 * which creates or refreshes that device within the tier's limit. No row when
 * the device is missing or revoked (registerDevice answered limit_reached) or
 * the account is disabled.
 */
export function openSession(input: {
  userId: string;
  installId: string;
  tokenHash: string;
  lifetimeSeconds: number;
}): Statement<OpenedSession> {
  return sql(
    `WITH family AS (
       INSERT INTO refresh_token_families (user_id, device_id, expires_at)
       SELECT d.user_id, d.id, now() + $4 * interval '1 second'
       FROM devices d JOIN users u ON u.id = d.user_id
       WHERE d.user_id = $1::uuid AND d.install_id = $2 AND d.revoked_at IS NULL AND u.disabled_at IS NULL
       RETURNING id, device_id, expires_at, active_profile_id
     ), token AS (
       INSERT INTO refresh_tokens (family_id, token_hash) SELECT id, decode($3, 'hex') FROM family RETURNING id
     )
     SELECT family.id AS "sessionId", family.device_id AS "deviceId", family.expires_at AS "expiresAt",
            family.active_profile_id AS "activeProfileId"
     FROM family, token`,
    [input.userId, input.installId, input.tokenHash, input.lifetimeSeconds],
  );
}

export type RotationOutcome =
  /** The token was live: it is now used and `successor` replaces it. */
  | 'rotated'
  /** The token had been used before: the family is revoked now (or already was). */
  | 'reused'
  /** Known token, but its family is revoked or expired, or the account is disabled. */
  | 'dead';

export interface RotationRow {
  outcome: RotationOutcome;
  sessionId: string;
  userId: string;
  role: UserRole;
  activeProfileId: string | null;
  /** The active profile's maturity cap, for the access token's `mat` claim. */
  maturityCap: MaturityCap | null;
  expiresAt: Date;
  /** The subscription tier in force now, for the new access token's `tier` claim. */
  tier: Tier;
}

/**
 * Refresh-token rotation in ONE statement:
 *  - `used` marks the presented token used and points it at the successor,
 *    only if it was unused, its family is live and unexpired and the account
 *    is enabled; the row lock makes two concurrent refreshes with one token
 *    produce one successor (the loser re-checks `used_at IS NULL` and fails);
 *  - `successor` inserts the new token (its id is chosen by the caller so the
 *    one UPDATE can set both used_at and replaced_by; the foreign key is
 *    checked at the end of the statement, when the successor exists);
 *  - `reuse` revokes the family when the presented token had already been
 *    used: a stolen token replayed after the real client refreshed (or the
 *    other way round) ends the whole session for both.
 * No row for an unknown token.
 */
export function rotateRefreshToken(input: { presentedHash: string; successorId: string; successorHash: string }): Statement<RotationRow> {
  return sql(
    `WITH presented AS (
       SELECT t.id, t.family_id, t.used_at, f.user_id, f.expires_at, f.revoked_at, f.active_profile_id,
              u.role, u.disabled_at
       FROM refresh_tokens t
       JOIN refresh_token_families f ON f.id = t.family_id
       JOIN users u ON u.id = f.user_id
       WHERE t.token_hash = decode($1, 'hex')
     ), used AS (
       UPDATE refresh_tokens t SET used_at = now(), replaced_by = $2::uuid
       FROM presented p
       WHERE t.id = p.id AND t.used_at IS NULL
         AND p.revoked_at IS NULL AND p.expires_at > now() AND p.disabled_at IS NULL
       RETURNING t.family_id
     ), successor AS (
       INSERT INTO refresh_tokens (id, family_id, token_hash)
       SELECT $2::uuid, family_id, decode($3, 'hex') FROM used
       RETURNING id
     ), touched AS (
       UPDATE refresh_token_families f SET last_used_at = now()
       FROM used WHERE f.id = used.family_id
       RETURNING f.id
     ), reuse AS (
       UPDATE refresh_token_families f SET revoked_at = now(), revoked_reason = 'reuse_detected'
       FROM presented p
       WHERE f.id = p.family_id AND p.used_at IS NOT NULL AND f.revoked_at IS NULL
       RETURNING f.id
     )
     SELECT CASE WHEN EXISTS (SELECT 1 FROM successor) AND EXISTS (SELECT 1 FROM touched) THEN 'rotated'
                 WHEN p.used_at IS NOT NULL THEN 'reused'
                 ELSE 'dead' END AS outcome,
            p.family_id AS "sessionId", p.user_id AS "userId", p.role, p.active_profile_id AS "activeProfileId",
            (SELECT pr.maturity_cap FROM profiles pr WHERE pr.id = p.active_profile_id) AS "maturityCap",
            p.expires_at AS "expiresAt",
            COALESCE((SELECT s.tier FROM subscriptions s
                      WHERE s.user_id = p.user_id AND s.status IN ('trialing', 'active', 'past_due')), 'free') AS tier
     FROM presented p
     LEFT JOIN reuse ON reuse.id = p.family_id`,
    [input.presentedHash, input.successorId, input.successorHash],
  );
}

/** Logout: revokes one family of the user; returns it when it was live. */
export function revokeSession(userId: string, sessionId: string): Statement<{ id: string }> {
  return sql(
    `UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'sign_out'
     WHERE id = $2::uuid AND user_id = $1::uuid AND revoked_at IS NULL
     RETURNING id`,
    [userId, sessionId],
  );
}

/** Log out everywhere: revokes every live family of the user; returns their ids. */
export function revokeAllSessions(userId: string): Statement<{ id: string }> {
  return sql(
    `UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'sign_out'
     WHERE user_id = $1::uuid AND revoked_at IS NULL
     RETURNING id`,
    [userId],
  );
}

/**
 * Switches the session's active profile (null: none). Only to a profile of
 * the same user, only on a live session of an enabled account; no row
 * otherwise. Returns what the new access token needs.
 */
export function setActiveProfile(input: { userId: string; sessionId: string; profileId: string | null }): Statement<{
  sessionId: string;
  role: UserRole;
  activeProfileId: string | null;
  maturityCap: MaturityCap | null;
  expiresAt: Date;
  tier: Tier;
}> {
  return sql(
    `UPDATE refresh_token_families f SET active_profile_id = $3::uuid
     FROM users u
     WHERE f.id = $2::uuid AND f.user_id = $1::uuid AND u.id = f.user_id
       AND f.revoked_at IS NULL AND f.expires_at > now() AND u.disabled_at IS NULL
       AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM profiles p WHERE p.id = $3::uuid AND p.user_id = $1::uuid))
     RETURNING f.id AS "sessionId", u.role, f.active_profile_id AS "activeProfileId",
               (SELECT pr.maturity_cap FROM profiles pr WHERE pr.id = f.active_profile_id) AS "maturityCap",
               f.expires_at AS "expiresAt",
               COALESCE((SELECT s.tier FROM subscriptions s
                      WHERE s.user_id = u.id AND s.status IN ('trialing', 'active', 'past_due')), 'free') AS tier`,
    [input.userId, input.sessionId, input.profileId],
  );
}
