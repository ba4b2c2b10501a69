// Widevine, PlayReady and FairPlay licenses come from a multi-DRM vendor; the
// edge is the license proxy: it checks the media token, then forwards the
// CDM's challenge untouched with the vendor's per-request authorization, and
// returns the vendor's answer. One interface, one implementation per vendor,
// chosen by DRM_PROVIDER.
//
// Axinom (https://docs.axinom.com/services/drm/license-service/): POST the
// challenge to the system's AcquireLicense URL with an `X-AxDRM-Message`
// header, a JWT (HS256, signed with the communication key) entitling the
// content key ids.
import { SignJWT } from 'jose';
import type { DrmConfig } from '../drm-config.ts';

export type DrmSystem = 'widevine' | 'playready' | 'fairplay';
export const DRM_SYSTEMS: readonly DrmSystem[] = ['widevine', 'playready', 'fairplay'];

export interface LicenseProvider {
  acquire(input: { system: DrmSystem; challenge: ArrayBuffer; contentType: string; keyIds: string[] }): Promise<Response>;
}

export function licenseProvider(config: DrmConfig): LicenseProvider | null {
  const vendor = config.vendor;
  if (!vendor) return null;
  const comKey = Uint8Array.from(atob(vendor.comKey), (c) => c.charCodeAt(0));
  return {
    async acquire({ system, challenge, contentType, keyIds }) {
      const token = await new SignJWT({
        version: 1,
        com_key_id: vendor.comKeyId,
        message: { type: 'entitlement_message', version: 2, content_keys_source: { inline: keyIds.map((id) => ({ id })) } },
      })
        .setProtectedHeader({ alg: 'HS256' })
        // Short-lived: it authorizes this one request.
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(comKey);
      return fetch(vendor.licenseUrls[system], { method: 'POST', headers: { 'Content-Type': contentType, 'X-AxDRM-Message': token }, body: challenge });
    },
  };
}
