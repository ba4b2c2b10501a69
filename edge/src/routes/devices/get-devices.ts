// GET /devices: the signed-in account's devices (live ones, most recent first).
import { createRoute, z } from '@hono/zod-openapi';
import { listDevices } from '../../../../db/sql/devices.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { DeviceSchema, toDevice } from './device-schemas.ts';

const DeviceList = z.object({ devices: z.array(DeviceSchema) }).openapi('DeviceList');

export const getDevicesRoute = createRoute({
  method: 'get',
  path: '/devices',
  tags: ['devices'],
  summary: 'My devices',
  description: 'The devices signed in to this account (revoked ones are not listed). Each counts against the plan’s device limit.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  responses: {
    200: { description: 'The devices.', content: { 'application/json': { schema: DeviceList } } },
    401: errorResponse('UNAUTHORIZED'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetDevices(app: Router): void {
  app.openapi(getDevicesRoute, async (c) => {
    const auth = currentAuth(c);
    const rows = await c.get('services').db.run(listDevices(auth.userId));
    return c.json({ devices: rows.map(toDevice) }, 200);
  });
}
