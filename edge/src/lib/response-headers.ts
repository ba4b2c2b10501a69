// Editing the headers of the response a middleware finds after next(): a
// response passed through from fetch() has immutable headers, so it is copied
// into a mutable one first.
import type { Context } from 'hono';

export function editResponseHeaders(c: Context, edit: (headers: Headers) => void): void {
  try {
    edit(c.res.headers);
  } catch {
    c.res = new Response(c.res.body, c.res);
    edit(c.res.headers);
  }
}
