// Renames a profile of the user; another account's profile is "not found".
import { listProfiles, renameProfile as renameProfileSql, type ProfileRow } from '../../../../db/sql/profiles.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import { isNameTaken, nameTaken, profileNotFound } from './profile-errors.ts';

export async function renameProfile(deps: { db: Db }, input: { userId: string; profileId: string; name: string }): Promise<ProfileRow> {
  let row: ProfileRow | undefined;
  try {
    [row] = await deps.db.run(renameProfileSql(input));
  } catch (err) {
    if (!isNameTaken(err)) throw err;
    throw nameTaken(input.name.trim(), await deps.db.run(listProfiles(input.userId)));
  }
  if (!row) throw profileNotFound();
  return row;
}
