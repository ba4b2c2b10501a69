// Accounts: lookup for sign-in, sign-up on first verified OTP, password
// changes, the /me fields, and disabling. Emails are citext (case-insensitive
// compare); phones are E.164 text.
import { sql, type Statement } from './statement.ts';

export type UserRole = 'viewer' | 'editor' | 'admin';

export interface UserRow {
  id: string;
  email: string | null;
  phone: string | null;
  emailVerifiedAt: Date | null;
  phoneVerifiedAt: Date | null;
  role: UserRole;
  displayName: string | null;
  locale: 'fa' | 'en';
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  hasPassword: boolean;
  /** The subscription tier in force: the live subscription's, else 'free'. */
  tier: string;
}

export interface UserCredentialRow {
  id: string;
  role: UserRole;
  passwordHash: string | null;
  disabledAt: Date | null;
}

const USER_COLUMNS = `
  u.id, u.email::text AS email, u.phone, u.email_verified_at AS "emailVerifiedAt", u.phone_verified_at AS "phoneVerifiedAt",
  u.role, u.display_name AS "displayName", u.locale, u.disabled_at AS "disabledAt",
  u.last_sign_in_at AS "lastSignInAt", u.created_at AS "createdAt", u.password_hash IS NOT NULL AS "hasPassword",
  COALESCE((SELECT s.tier FROM subscriptions s
            WHERE s.user_id = u.id AND s.status IN ('trialing', 'active', 'past_due')), 'free') AS tier`;

export function findUserById(id: string): Statement<UserRow> {
  return sql(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1::uuid`, [id]);
}

/** For email + password sign-in: the hash and whether the account may sign in. */
export function findCredentialsByEmail(email: string): Statement<UserCredentialRow> {
  return sql(
    `SELECT id, role, password_hash AS "passwordHash", disabled_at AS "disabledAt" FROM users WHERE email = $1::citext`,
    [email],
  );
}

/**
 * Sign-in or sign-up with a verified one-time code: the account owning the
 * phone (or email) is returned, created if there is none, and the channel
 * is marked verified. One statement, so two concurrent first sign-ins of the
 * same phone end with one account (ON CONFLICT on the unique column).
 */
export function upsertUserByVerifiedChannel(channel: 'phone' | 'email', value: string, locale: 'fa' | 'en'): Statement<UserCredentialRow> {
  const column = channel === 'phone' ? 'phone' : 'email';
  const verified = channel === 'phone' ? 'phone_verified_at' : 'email_verified_at';
  return sql(
    `INSERT INTO users (${column}, ${verified}, locale, last_sign_in_at) VALUES ($1, now(), $2, now())
     ON CONFLICT (${column}) DO UPDATE
       SET ${verified} = COALESCE(users.${verified}, now()),
           last_sign_in_at = CASE WHEN users.disabled_at IS NULL THEN now() ELSE users.last_sign_in_at END
     RETURNING id, role, password_hash AS "passwordHash", disabled_at AS "disabledAt"`,
    [value, locale],
  );
}

export function recordSignIn(userId: string): Statement {
  return sql(`UPDATE users SET last_sign_in_at = now() WHERE id = $1::uuid`, [userId]);
}

/**
 * Replaces the password hash only if it is still the one that was verified:
 * a rehash on sign-in never overwrites a password changed in between.
 */
export function replacePasswordHash(userId: string, expectedOld: string, next: string): Statement {
  return sql(`UPDATE users SET password_hash = $3 WHERE id = $1::uuid AND password_hash = $2`, [userId, expectedOld, next]);
}

/** Sets a password on an account that has none (sign-up with email + password). Returns no row when one exists. */
export function setInitialPassword(userId: string, hash: string): Statement<{ id: string }> {
  return sql(`UPDATE users SET password_hash = $2 WHERE id = $1::uuid AND password_hash IS NULL RETURNING id`, [userId, hash]);
}

/**
 * Password reset: sets the new hash and revokes every live session of the
 * account in one statement; returns the revoked family ids (for the access
 * token deny list). No row for an unknown or disabled email.
 */
export function resetPassword(email: string, hash: string): Statement<{ userId: string; revokedSessionIds: string[] }> {
  return sql(
    `WITH target AS (
       UPDATE users SET password_hash = $2 WHERE email = $1::citext AND disabled_at IS NULL RETURNING id
     ), revoked AS (
       UPDATE refresh_token_families f SET revoked_at = now(), revoked_reason = 'password_changed'
       FROM target WHERE f.user_id = target.id AND f.revoked_at IS NULL
       RETURNING f.id
     )
     SELECT target.id AS "userId", COALESCE((SELECT array_agg(id) FROM revoked), '{}')::text[] AS "revokedSessionIds" FROM target`,
    [email, hash],
  );
}

export interface UserPatch {
  displayName?: string | null;
  locale?: 'fa' | 'en';
}

/** The fields a user may change on themselves; everything else is server-owned. */
export function updateUserProfileFields(userId: string, patch: UserPatch): Statement<{ id: string }> {
  return sql(
    `UPDATE users SET
       display_name = CASE WHEN $2::boolean THEN $3 ELSE display_name END,
       locale = COALESCE($4, locale)
     WHERE id = $1::uuid AND disabled_at IS NULL
     RETURNING id`,
    [userId, patch.displayName !== undefined, patch.displayName ?? null, patch.locale ?? null],
  );
}

/**
 * Disables an account and revokes its sessions in one statement. Returns the
 * ids of every family revoked now or within `recentSeconds` (so a retry after
 * a failed deny-list write still lists them); no row for an unknown user.
 */
export function disableUser(userId: string, recentSeconds: number): Statement<{ userId: string; sessionIds: string[] }> {
  return sql(
    `WITH target AS (
       UPDATE users SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1::uuid RETURNING id
     ), revoked AS (
       UPDATE refresh_token_families f SET revoked_at = now(), revoked_reason = 'account_disabled'
       FROM target WHERE f.user_id = target.id AND f.revoked_at IS NULL
       RETURNING f.id
     ), recent AS (
       SELECT f.id FROM refresh_token_families f JOIN target ON f.user_id = target.id
       WHERE f.revoked_at > now() - $2 * interval '1 second'
     )
     SELECT target.id AS "userId",
            COALESCE((SELECT array_agg(id) FROM (SELECT id FROM revoked UNION SELECT id FROM recent) ids), '{}')::text[] AS "sessionIds"
     FROM target`,
    [userId, recentSeconds],
  );
}

export interface AdminUserRow {
  id: string;
  email: string | null;
  phone: string | null;
  role: UserRole;
  displayName: string | null;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  tier: string;
  /** created_at as Postgres text (microseconds kept): the keyset cursor. A JS Date would drop the microseconds. */
  cursorAt: string;
}

export interface ListUsersInput {
  /** Prefix of the email (case-insensitive) or of the E.164 phone. */
  prefix?: string | null;
  role?: UserRole | null;
  /** The last row of the previous page, newest-first order. */
  after?: { createdAt: string; id: string } | null;
  limit: number;
}

/**
 * Admin user list, newest first, keyset-paginated on (created_at, id) so a
 * page is stable while accounts are created. The prefix is matched literally
 * (LIKE wildcards in it are escaped).
 */
export function listUsers(input: ListUsersInput): Statement<AdminUserRow> {
  const pattern = input.prefix ? `${input.prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
  return sql(
    `SELECT u.id, u.email::text AS email, u.phone, u.role, u.display_name AS "displayName", u.disabled_at AS "disabledAt",
            u.last_sign_in_at AS "lastSignInAt", u.created_at AS "createdAt", u.created_at::text AS "cursorAt",
            COALESCE((SELECT s.tier FROM subscriptions s
                      WHERE s.user_id = u.id AND s.status IN ('trialing', 'active', 'past_due')), 'free') AS tier
     FROM users u
     WHERE ($1::text IS NULL OR u.email::text ILIKE $1::text OR u.phone LIKE $1::text)
       AND ($2::text IS NULL OR u.role = $2::text)
       AND ($3::timestamptz IS NULL OR (u.created_at, u.id) < ($3::timestamptz, $4::uuid))
     ORDER BY u.created_at DESC, u.id DESC
     LIMIT $5::int`,
    [pattern, input.role ?? null, input.after?.createdAt ?? null, input.after?.id ?? null, input.limit],
  );
}

export interface RoleChangeRow {
  userId: string;
  before: UserRole;
  after: UserRole;
  /** The sessions revoked now (empty when the role did not change). */
  sessionIds: string[];
}

/**
 * An admin changes a user's role, in ONE statement: the role, the audit_log
 * row (before/after, actor, request id) and the revocation of every live
 * session of the user (reason 'admin'), so the role in their tokens can never
 * outlive the change. (Data-modifying CTEs always run to completion, read or
 * not.) Setting the role it already has writes nothing. No row
 * for an unknown user.
 */
export function changeUserRole(input: { userId: string; role: UserRole; actorId: string; requestId: string | null }): Statement<RoleChangeRow> {
  return sql(
    `WITH target AS (
       SELECT id, role FROM users WHERE id = $1::uuid FOR UPDATE
     ), changed AS (
       UPDATE users u SET role = $2::text FROM target
       WHERE u.id = target.id AND target.role <> $2::text
       RETURNING u.id
     ), revoked AS (
       UPDATE refresh_token_families f SET revoked_at = now(), revoked_reason = 'admin'
       FROM changed WHERE f.user_id = changed.id AND f.revoked_at IS NULL
       RETURNING f.id
     ), audited AS (
       INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, before, after, request_id)
       SELECT $3::uuid, 'user.change_role', 'user', target.id::text,
              jsonb_build_object('role', target.role), jsonb_build_object('role', $2::text), $4::text
       FROM target JOIN changed ON changed.id = target.id
     )
     SELECT target.id AS "userId", target.role AS before, $2::text AS after,
            COALESCE((SELECT array_agg(id::text) FROM revoked), '{}')::text[] AS "sessionIds"
     FROM target`,
    [input.userId, input.role, input.actorId, input.requestId],
  );
}
