// DRM settings (issue 6): the key-encryption keys content keys are wrapped
// under (db/drm/content-keys.ts), and the multi-DRM vendor that issues
// Widevine, PlayReady and FairPlay licenses (edge/src/lib/drm/provider.ts).
import { z } from 'zod';
import type { Kek } from '../../../db/drm/content-keys.ts';
import type { DrmSystem } from './drm/provider.ts';
import { jsonSetting } from './json-setting.ts';

const vendorUrl = (system: string) => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(`https://drm-${system}-licensing.axprod.net/AcquireLicense`);

export const drmSchema = z
  .object({
    DRM_KEKS: jsonSetting(
      'a JSON array of { id, key } (key: 32 random bytes, base64), the first wraps new content keys',
      z
        .array(z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'each key must be 32 bytes, base64') }).strict())
        .min(1)
        .max(3),
    ),
    DRM_PROVIDER: z.enum(['none', 'axinom']).default('none'),
    AXINOM_COM_KEY_ID: z.uuid().optional(),
    AXINOM_COM_KEY: z.string().regex(/^[A-Za-z0-9+/]+=*$/, 'must be base64').optional(),
    DRM_LICENSE_URL_WIDEVINE: vendorUrl('widevine'),
    DRM_LICENSE_URL_PLAYREADY: vendorUrl('playready'),
    DRM_LICENSE_URL_FAIRPLAY: vendorUrl('fairplay'),
  })
  .refine((d) => d.DRM_PROVIDER !== 'axinom' || (d.AXINOM_COM_KEY_ID && d.AXINOM_COM_KEY), { message: 'is required with DRM_PROVIDER=axinom', path: ['AXINOM_COM_KEY'] });

export interface DrmConfig {
  keks: Kek[];
  vendor: { comKeyId: string; comKey: string; licenseUrls: Record<DrmSystem, string> } | null;
}

export function toDrmConfig(d: z.output<typeof drmSchema>): DrmConfig {
  return {
    keks: d.DRM_KEKS,
    vendor:
      d.DRM_PROVIDER === 'axinom'
        ? { comKeyId: d.AXINOM_COM_KEY_ID!, comKey: d.AXINOM_COM_KEY!, licenseUrls: { widevine: d.DRM_LICENSE_URL_WIDEVINE, playready: d.DRM_LICENSE_URL_PLAYREADY, fairplay: d.DRM_LICENSE_URL_FAIRPLAY } }
        : null,
  };
}
