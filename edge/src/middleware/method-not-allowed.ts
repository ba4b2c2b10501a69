// 405 with an Allow header when the path exists under another method. Hono's
// middleware consults the app's registered routes once a request ends in 404,
// so it adds nothing to requests that match.
import type { Hono, MiddlewareHandler } from 'hono';
import { methodNotAllowed as honoMethodNotAllowed } from 'hono/method-not-allowed';
import { ApiError, renderError } from '../lib/errors.ts';
import type { AppEnv } from '../types.ts';

export function methodNotAllowed(app: Hono<AppEnv, any, any>): MiddlewareHandler<AppEnv> {
  return honoMethodNotAllowed<AppEnv>({
    app,
    onMethodNotAllowed: (c, methods) => {
      const allow = methods.join(', ');
      const err = new ApiError('METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`, {
        details: { allow: methods },
        headers: { Allow: allow },
      });
      return renderError(c, err);
    },
  });
}
