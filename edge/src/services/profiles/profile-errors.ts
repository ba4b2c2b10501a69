// The typed failures of the profile verbs, as API errors the routes pass on,
// and the public shape of a profile (also listed in some of those errors).
import type { MaturityCap, ProfileRow } from '../../../../db/sql/profiles.ts';
import { ApiError } from '../../lib/errors.ts';

export interface Profile {
  id: string;
  name: string;
  isKids: boolean;
  maturityCap: MaturityCap;
  locale: 'fa' | 'en';
  avatarKey: string | null;
  createdAt: string;
}

export function toProfile(row: ProfileRow): Profile {
  return {
    id: row.id,
    name: row.name,
    isKids: row.isKids,
    maturityCap: row.maturityCap,
    locale: row.locale,
    avatarKey: row.avatarKey,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export const profileNotFound = () => new ApiError('NOT_FOUND', 'No such profile');

export function nameTaken(name: string, profiles: ProfileRow[]): ApiError {
  return new ApiError('CONFLICT', `This account already has a profile named "${name}"`, {
    details: { reason: 'name_taken', profiles: profiles.map(toProfile) },
  });
}

/** A unique violation on the account's profile names (Postgres 23505, from Neon's or pg's driver alike). */
export function isNameTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === '23505' && (e.constraint === undefined || e.constraint === 'profiles_name_unique');
}
