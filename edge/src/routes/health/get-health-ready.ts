// GET /health/ready: readiness. 200 when Postgres, Redis and the object store
// all answer; otherwise 503 UNAVAILABLE naming what is down.
import { createRoute, z } from '@hono/zod-openapi';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { checkReadiness, type Dependency } from '../../services/check-readiness.ts';

/** Short enough for a load balancer's probe, long enough for a cold TLS handshake. */
export const READY_TIMEOUT_MS = 2_000;

const CheckSchema = z
  .object({
    status: z.enum(['up', 'down']),
    latencyMs: z.number().int(),
    reason: z.enum(['timeout', 'error', 'misconfigured']).optional(),
    variables: z.array(z.string()).optional().openapi({ description: 'For misconfigured: the variables to fix.' }),
  })
  .openapi('DependencyCheck');

export const ReadySchema = z
  .object({
    status: z.literal('ok'),
    checks: z.object({ postgres: CheckSchema, redis: CheckSchema, objectStore: CheckSchema }),
  })
  .openapi('Readiness');
export type GetHealthReadyResponse = z.infer<typeof ReadySchema>;

export const getHealthReadyRoute = createRoute({
  method: 'get',
  path: '/health/ready',
  tags: ['health'],
  summary: 'Readiness',
  description:
    'Checks Postgres, Redis and the object store in parallel, each with a ' +
    `${READY_TIMEOUT_MS} ms timeout. 503 UNAVAILABLE names the dependencies that are down in ` +
    '`error.message` and gives every check in `error.details.checks`.',
  responses: {
    200: { description: 'Every dependency answered.', content: { 'application/json': { schema: ReadySchema } } },
    503: errorResponse('At least one dependency is down.'),
  },
});

export function registerGetHealthReady(app: Router): void {
  app.openapi(getHealthReadyRoute, async (c) => {
    const { ready, checks } = await checkReadiness(c.get('services'), { timeoutMs: READY_TIMEOUT_MS, logger: c.get('logger') });
    if (ready) return c.json({ status: 'ok' as const, checks }, 200);
    const down = (Object.keys(checks) as Dependency[]).filter((d) => checks[d].status === 'down');
    // Thrown, not returned: onError renders the one envelope for every error.
    throw new ApiError('UNAVAILABLE', `Not ready: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} down`, {
      details: { down, checks },
    });
  });
}
