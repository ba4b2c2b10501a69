// Deletes a profile of the user, never their last one (one locked batch, so
// two concurrent deletes cannot leave the account with none). Sessions using
// it lose their active profile (the foreign key sets it to null); their
// current access tokens keep the old `pid` until the next refresh.
import { deleteProfile as deleteProfileSql, type DeleteProfileOutcome } from '../../../../db/sql/profiles.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import { ApiError } from '../../lib/errors.ts';
import { profileNotFound } from './profile-errors.ts';

export async function deleteProfile(deps: { db: Db }, input: { userId: string; profileId: string }): Promise<void> {
  const [, rows] = (await deps.db.batch(deleteProfileSql(input))) as [unknown, { outcome: DeleteProfileOutcome }[]];
  const outcome = rows[0]?.outcome ?? 'not_found';
  if (outcome === 'not_found') throw profileNotFound();
  if (outcome === 'last_profile') {
    throw new ApiError('CONFLICT', 'An account keeps at least one profile: this is the last one', { details: { reason: 'last_profile' } });
  }
}
