// Email + password sign-in. Unknown email, account without a password, wrong
// password and disabled account all answer the same 401 after the same work
// (one full Argon2id verification), so the answer reveals nothing.
import { findCredentialsByEmail, recordSignIn, replacePasswordHash } from '../../../../db/sql/users.ts';
import { hashPassword, verifyPassword } from '../../lib/auth/password.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';
import { issueSession, type DeviceInput, type SessionTokens } from './issue-session.ts';

export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password';

export async function signInWithPassword(deps: AuthDeps, input: { email: string; password: string; device: DeviceInput }): Promise<SessionTokens> {
  const [account] = await deps.db.run(findCredentialsByEmail(input.email));
  const { ok, needsRehash } = await verifyPassword(account?.passwordHash, input.password);
  if (!account || !ok || account.disabledAt !== null) throw new ApiError('UNAUTHORIZED', INVALID_CREDENTIALS_MESSAGE);

  const writes = [recordSignIn(account.id)];
  // Stored with weaker parameters than today's: upgrade now that we know the password.
  if (needsRehash) writes.push(replacePasswordHash(account.id, account.passwordHash!, await hashPassword(input.password)));
  await deps.db.batch(writes);
  return issueSession(deps, account, input.device);
}
