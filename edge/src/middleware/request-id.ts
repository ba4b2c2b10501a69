// Every response carries X-Request-Id, errors included. A caller's id is kept
// when it is short and plain (so traces join up across services); anything
// else is replaced, since it ends up in logs and response headers.
import type { MiddlewareHandler } from 'hono';
import { editResponseHeaders } from '../lib/response-headers.ts';
import type { AppEnv } from '../types.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const SANE = /^[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}$/;

export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const inbound = c.req.header(REQUEST_ID_HEADER);
    const id = inbound && SANE.test(inbound) ? inbound : crypto.randomUUID();
    c.set('requestId', id);
    await next();
    if (c.res.headers.get(REQUEST_ID_HEADER) === id) return;
    editResponseHeaders(c, (h) => h.set(REQUEST_ID_HEADER, id));
  };
}
