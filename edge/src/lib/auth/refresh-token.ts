// Refresh tokens are opaque: 256 random bits, base64url. Only their SHA-256
// is stored (refresh_tokens.token_hash), so a database leak yields nothing
// usable; a fast hash is enough because the input is full-entropy.

export function newRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Hex SHA-256 of the token, the form the SQL in db/sql/sessions.ts decodes. */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
