// GET /health: liveness. Touches no dependency, so a load balancer can tell a
// dead Worker from a dead database.
import { createRoute, z } from '@hono/zod-openapi';
import type { Router } from '../../lib/openapi.ts';

export const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
export type GetHealthResponse = z.infer<typeof HealthSchema>;

export const getHealthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Liveness',
  description: 'Answers 200 while the Worker runs. Checks no dependency: use /health/ready for that.',
  responses: {
    200: { description: 'The Worker is alive.', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function registerGetHealth(app: Router): void {
  app.openapi(getHealthRoute, (c) => c.json({ status: 'ok' as const }, 200));
}
