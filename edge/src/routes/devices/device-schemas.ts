import { z } from '@hono/zod-openapi';
import type { DeviceRow } from '../../../../db/sql/devices.ts';

export const DeviceSchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable().openapi({ example: 'Sara’s Pixel 8' }),
    platform: z.enum(['web', 'android', 'ios', 'tv', 'other']),
    appVersion: z.string().nullable().openapi({ example: '2.4.1' }),
    lastSeenAt: z.string().openapi({ example: '2026-05-01T10:00:00.000Z' }),
    createdAt: z.string().openapi({ example: '2026-04-01T10:00:00.000Z' }),
  })
  .openapi('Device');
export type Device = z.infer<typeof DeviceSchema>;

export const DeviceIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' }),
});

/** The install id stays server-side: it is the device's sign-in credential slot, not something to show. */
export function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    name: row.name,
    platform: row.platform,
    appVersion: row.appVersion,
    lastSeenAt: new Date(row.lastSeenAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
