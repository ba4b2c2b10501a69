// GET /api/v1/docs: the interactive reference (Scalar) over openapi.json.
import { Scalar } from '@scalar/hono-api-reference';
import type { Router } from '../../lib/openapi.ts';
import type { AppEnv } from '../../types.ts';

export function registerGetDocs(app: Router, opts: { documentUrl: string }): void {
  app.get('/docs', Scalar<AppEnv>({ url: opts.documentUrl, pageTitle: 'irdnl API reference' }));
}
