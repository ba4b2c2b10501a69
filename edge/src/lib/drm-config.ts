// DRM settings (issue 6): the key-encryption keys content keys are wrapped
// under (db/drm/content-keys.ts). A dependency config like the others.
import { z } from 'zod';
import type { Kek } from '../../../db/drm/content-keys.ts';
import { jsonSetting } from './json-setting.ts';

export const drmSchema = z.object({
  DRM_KEKS: jsonSetting(
    'a JSON array of { id, key } (key: 32 random bytes, base64), the first wraps new content keys',
    z
      .array(z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'each key must be 32 bytes, base64') }).strict())
      .min(1)
      .max(3),
  ),
});

export interface DrmConfig {
  keks: Kek[];
}

export function toDrmConfig(d: z.output<typeof drmSchema>): DrmConfig {
  return { keks: d.DRM_KEKS };
}
