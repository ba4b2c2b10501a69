// Viewer profiles of an account, limited per subscription tier. A kids
// profile is capped at maturity 12 (the table's CHECK); every account keeps at
// least one profile.
import { lockAccount, TIER_OF_USER_1 } from './account-lock.ts';
import type { Tier } from './devices.ts';
import { sql, type Statement } from './statement.ts';

export type MaturityCap = 0 | 7 | 12 | 15 | 18;

export interface ProfileRow {
  id: string;
  name: string;
  avatarKey: string | null;
  isKids: boolean;
  maturityCap: MaturityCap;
  locale: 'fa' | 'en';
  createdAt: Date;
}

export interface CreateProfileInput {
  userId: string;
  /** Trimmed before it is stored and compared; unique per account. */
  name: string;
  kids: boolean;
  /** Defaults to 7 for a kids profile and 18 otherwise; a kids profile above 12 is refused (23514). */
  maturityCap?: MaturityCap | null;
  /** Defaults to the account's locale. */
  locale?: 'fa' | 'en' | null;
  avatarKey?: string | null;
}

export type CreateProfileRow = ProfileRow & {
  /**
   * 'created': the one row is the new profile. 'limit_reached' (the tier's
   * max_profiles) or 'name_taken': nothing was written; the rows are the
   * account's profiles.
   */
  outcome: 'created' | 'limit_reached' | 'name_taken';
  tier: Tier;
  maxProfiles: number;
};

const PROFILE_COLUMNS = (p: string) => `
  ${p}.id, ${p}.name, ${p}.avatar_key AS "avatarKey", ${p}.is_kids AS "isKids", ${p}.maturity_cap AS "maturityCap",
  ${p}.locale, ${p}.created_at AS "createdAt"`;

/**
 * Creates a profile within the tier's profile limit, race-free: run the two
 * statements as ONE batch (`db.batch`) and read the second result (the lock
 * is its own statement for the reason given in account-lock.ts). No rows when
 * the account does not exist or is disabled.
 */
export function createProfile(input: CreateProfileInput): [Statement<{ id: string }>, Statement<CreateProfileRow>] {
  return [
    lockAccount(input.userId),
    sql(
      `WITH me AS (
         SELECT u.id, u.locale, tier.tier, tier.max_profiles,
                (SELECT count(*) FROM profiles p WHERE p.user_id = u.id)::int AS existing,
                EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.id AND p.name = btrim($2::text)) AS name_taken
         FROM users u, ${TIER_OF_USER_1}
         WHERE u.id = $1::uuid AND u.disabled_at IS NULL
       ), created AS (
         INSERT INTO profiles (user_id, name, is_kids, maturity_cap, locale, avatar_key)
         SELECT me.id, btrim($2::text), $3::boolean,
                COALESCE($4::smallint, CASE WHEN $3::boolean THEN 7 ELSE 18 END), COALESCE($5::text, me.locale), $6::text
         FROM me
         WHERE me.existing < me.max_profiles AND NOT me.name_taken
         RETURNING *
       )
       SELECT 'created' AS outcome, me.tier, me.max_profiles AS "maxProfiles", ${PROFILE_COLUMNS('c')}
       FROM created c, me
       UNION ALL
       SELECT CASE WHEN me.existing >= me.max_profiles THEN 'limit_reached' ELSE 'name_taken' END,
              me.tier, me.max_profiles, ${PROFILE_COLUMNS('p')}
       FROM me JOIN profiles p ON p.user_id = me.id
       WHERE NOT EXISTS (SELECT 1 FROM created)
       ORDER BY "createdAt", id`,
      [input.userId, input.name, input.kids, input.maturityCap ?? null, input.locale ?? null, input.avatarKey ?? null],
    ),
  ];
}

/** The account's profiles, oldest first (the first one is the account's own). */
export function listProfiles(userId: string): Statement<ProfileRow> {
  return sql(`SELECT ${PROFILE_COLUMNS('p')} FROM profiles p WHERE p.user_id = $1::uuid ORDER BY p.created_at, p.id`, [userId]);
}

/**
 * Renames a profile of the user; no row when it is not theirs. A name already
 * used by another profile of the account fails with 23505
 * (profiles_name_unique): the route answers CONFLICT.
 */
export function renameProfile(input: { userId: string; profileId: string; name: string }): Statement<ProfileRow> {
  return sql(
    `UPDATE profiles p SET name = btrim($3::text)
     WHERE p.id = $2::uuid AND p.user_id = $1::uuid
     RETURNING ${PROFILE_COLUMNS('p')}`,
    [input.userId, input.profileId, input.name],
  );
}

export type DeleteProfileOutcome = 'deleted' | 'last_profile' | 'not_found';

/**
 * Deletes a profile of the user unless it is their last one. Run both
 * statements as ONE batch: without the account lock, two concurrent deletes
 * of an account's last two profiles would each see the other and leave none.
 * Sessions using the profile lose it (active_profile_id is set NULL by the
 * foreign key). The second result is one row with the outcome.
 */
export function deleteProfile(input: { userId: string; profileId: string }): [Statement<{ id: string }>, Statement<{ outcome: DeleteProfileOutcome }>] {
  return [
    lockAccount(input.userId),
    sql(
      `WITH target AS (
         SELECT p.id FROM profiles p WHERE p.id = $2::uuid AND p.user_id = $1::uuid
       ), others AS (
         SELECT count(*) AS n FROM profiles p WHERE p.user_id = $1::uuid AND p.id <> $2::uuid
       ), deleted AS (
         DELETE FROM profiles p USING target, others
         WHERE p.id = target.id AND others.n > 0
         RETURNING p.id
       )
       SELECT CASE WHEN EXISTS (SELECT 1 FROM deleted) THEN 'deleted'
                   WHEN EXISTS (SELECT 1 FROM target) THEN 'last_profile'
                   ELSE 'not_found' END AS outcome`,
      [input.userId, input.profileId],
    ),
  ];
}
