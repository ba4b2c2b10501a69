// Creates a viewer profile within the plan's profile limit. The limit check
// and the insert are one locked batch (db/sql/profiles.ts), so concurrent
// creations never overshoot it.
import { createProfile as createProfileSql, type CreateProfileInput, type CreateProfileRow, type ProfileRow } from '../../../../db/sql/profiles.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import { ApiError } from '../../lib/errors.ts';
import { nameTaken, toProfile } from './profile-errors.ts';

export async function createProfile(deps: { db: Db }, input: CreateProfileInput): Promise<ProfileRow> {
  const [, rows] = (await deps.db.batch(createProfileSql(input))) as [unknown, CreateProfileRow[]];
  const first = rows[0];
  // The account was disabled (or deleted) after its token was minted.
  if (!first) throw new ApiError('UNAUTHORIZED', 'A valid access token is required');
  if (first.outcome === 'created') return first;
  if (first.outcome === 'name_taken') throw nameTaken(input.name.trim(), rows);
  throw new ApiError('CONFLICT', `Profile limit reached: the ${first.tier} plan allows ${first.maxProfiles}; delete a profile to add one`, {
    details: { reason: 'profile_limit', tier: first.tier, maxProfiles: first.maxProfiles, profiles: rows.map(toProfile) },
  });
}
