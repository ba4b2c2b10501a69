// Opaque keyset cursors for newest-first lists: (timestamp, id) of the last
// row of a page. The timestamp is Postgres's own text form (`col::text`), so
// microseconds survive the round trip and no row is skipped or repeated.
import { z } from '@hono/zod-openapi';

export interface KeysetCursor {
  at: string;
  id: string;
}

const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: KeysetCursor): string {
  return btoa(JSON.stringify([cursor.at, cursor.id])).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodeCursor(text: string): KeysetCursor | undefined {
  try {
    const parsed = JSON.parse(atob(text.replaceAll('-', '+').replaceAll('_', '/'))) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [at, id] = parsed as unknown[];
    if (typeof at !== 'string' || !PG_TIMESTAMPTZ.test(at) || typeof id !== 'string' || !UUID.test(id)) return undefined;
    return { at, id };
  } catch {
    return undefined;
  }
}

/** A `cursor` query parameter: a malformed one is a VALIDATION_FAILED, never a silent first page. */
export const CursorSchema = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const cursor = decodeCursor(s);
    if (cursor) return cursor;
    ctx.addIssue({ code: 'custom', message: 'is not a cursor from a previous page' });
    return z.NEVER;
  })
  .openapi({ description: '`nextCursor` of the previous page.', type: 'string' });

/** Pages of `limit` from a query run with `limit + 1` (one extra row says whether there is a next page). */
export function page<T extends { id: string; cursorAt: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null };
}
