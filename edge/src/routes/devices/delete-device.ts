// DELETE /devices/{id}: revoke one of my devices; its sessions end at once.
import { createRoute } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { revokeDevice } from '../../services/devices/revoke-device.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { DeviceIdParams } from './device-schemas.ts';

export const deleteDeviceRoute = createRoute({
  method: 'delete',
  path: '/devices/{id}',
  tags: ['devices'],
  summary: 'Revoke a device',
  description:
    'Signs the device out for good: its sessions end at once (refresh and access tokens) and it frees a slot of the ' +
    'plan’s device limit. Signing in again on that install registers it again. Revoking the device you are calling ' +
    'from signs you out. Repeating the call for a device revoked within the access-token lifetime answers 204 again ' +
    '(and re-applies the sign-out), so a retry after a failed response is safe.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: DeviceIdParams },
  responses: {
    204: { description: 'Revoked.' },
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: no such device on this account (or it was revoked long ago).'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerDeleteDevice(app: Router): void {
  app.openapi(deleteDeviceRoute, async (c) => {
    await revokeDevice(authDeps(c), { userId: currentAuth(c).userId, deviceId: c.req.valid('param').id });
    return c.body(null, 204);
  });
}
