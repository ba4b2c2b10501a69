// POST /admin/jobs/{id}/retry and POST /admin/jobs/{id}/cancel.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { usable } from '../../env.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { cancelJob, retryJob, type JobActionDeps } from '../../services/media/manage-jobs.ts';
import type { AppEnv } from '../../types.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { JobIdParams } from './schemas.ts';

const errors = {
  401: errorResponse('UNAUTHORIZED'),
  403: errorResponse('FORBIDDEN: not an editor.'),
  404: errorResponse('NOT_FOUND'),
  409: errorResponse('CONFLICT: the job is not in a state that allows it.'),
  429: errorResponse('RATE_LIMITED'),
};

export const postJobRetryRoute = createRoute({
  method: 'post',
  path: '/admin/jobs/{id}/retry',
  tags: ['media'],
  summary: 'Retry a failed transcode',
  description: 'Editors. Enqueues a new job for the same asset version and puts the asset back to `queued`, in one transaction.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: JobIdParams },
  responses: { 202: { description: 'Queued again.', content: { 'application/json': { schema: z.object({ jobId: z.uuid() }) } } }, ...errors },
});

export const postJobCancelRoute = createRoute({
  method: 'post',
  path: '/admin/jobs/{id}/cancel',
  tags: ['media'],
  summary: 'Cancel a queued job',
  description: 'Editors. Only a job still waiting for a worker; its asset becomes `cancelled`.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: JobIdParams },
  responses: { 204: { description: 'Cancelled.' }, ...errors },
});

function deps(c: Context<AppEnv>): JobActionDeps {
  return { db: c.get('services').db, transcodeQueue: usable(c.get('config').uploads).transcodeQueue, actor: { userId: currentAuth(c).userId, requestId: c.get('requestId') } };
}

export function registerPostJobActions(app: Router): void {
  app.openapi(postJobRetryRoute, async (c) => c.json(await retryJob(deps(c), c.req.valid('param').id), 202));
  app.openapi(postJobCancelRoute, async (c) => {
    await cancelJob(deps(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
