// CORS from CORS_ORIGINS: an allowed origin is echoed back, any other gets no
// Access-Control-Allow-Origin and the browser blocks it.
import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { editResponseHeaders } from '../lib/response-headers.ts';
import type { AppEnv } from '../types.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

export function cors(): MiddlewareHandler<AppEnv> {
  const api = honoCors({
    origin: (origin, c) => ((c.get('config')?.corsOrigins ?? []).includes(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', REQUEST_ID_HEADER],
    // Browsers hide non-safelisted response headers from scripts unless exposed.
    exposeHeaders: [REQUEST_ID_HEADER, 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'],
    maxAge: 600,
  });
  // /media is fetched by players on any site (web players, TV apps' webviews):
  // the token in the path is the credential, no cookies are involved, so any
  // origin may read it.
  const media = honoCors({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'POST'],
    allowHeaders: ['Range', 'Content-Type'],
    exposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', REQUEST_ID_HEADER],
    maxAge: 86_400,
  });
  return async (c, next) => {
    // Media always says `*`: a segment cached anywhere must serve any player.
    if (c.req.path.startsWith('/media/')) return media(c, next);
    if (c.req.header('Origin') !== undefined) return api(c, next);
    // Not a CORS request (apps, TVs, servers, same-origin GETs): no CORS
    // headers apply. Skipping Hono's middleware here is not only tidier:
    // it sets headers before the route runs, which makes a placeholder
    // Response that Hono then copies into the real one (about a tenth of a
    // bare /health in a workerd CPU profile).
    await next();
    // The API's answers still vary by Origin for any cache that keeps them.
    editResponseHeaders(c, (h) => h.append('Vary', 'Origin'));
  };
}
