// PATCH /devices/{id}: rename one of my devices.
import { createRoute, z } from '@hono/zod-openapi';
import { renameDevice } from '../../../../db/sql/devices.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { DeviceIdParams, DeviceSchema, toDevice } from './device-schemas.ts';

export const PatchDeviceBody = z
  .object({ name: z.string().trim().min(1).max(100).openapi({ example: 'Living room TV' }) })
  .strict()
  .openapi('PatchDeviceRequest');

export const patchDeviceRoute = createRoute({
  method: 'patch',
  path: '/devices/{id}',
  tags: ['devices'],
  summary: 'Rename a device',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: DeviceIdParams, body: { required: true, content: { 'application/json': { schema: PatchDeviceBody } } } },
  responses: {
    200: { description: 'The renamed device.', content: { 'application/json': { schema: DeviceSchema } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: no such device on this account (or it was revoked).'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPatchDevice(app: Router): void {
  app.openapi(patchDeviceRoute, async (c) => {
    const auth = currentAuth(c);
    const [row] = await c.get('services').db.run(renameDevice({ userId: auth.userId, deviceId: c.req.valid('param').id, name: c.req.valid('json').name }));
    // Another account's device answers exactly like a missing one: no existence leak.
    if (!row) throw new ApiError('NOT_FOUND', 'No such device');
    return c.json(toDevice(row), 200);
  });
}
