// Key material of DRM-protected asset versions (issue 6); see db/drm/content-keys.ts.
import { sql, type Statement } from './statement.ts';

export interface VersionKeyRow {
  keyId: string;
  kekId: string;
  /** Hex of the wrapped key (IV + ciphertext + tag). */
  wrappedHex: string;
}

export function getVersionKey(assetId: string, version: number): Statement<VersionKeyRow> {
  return sql(
    `SELECT drm_key_id AS "keyId", kek_id AS "kekId", encode(encrypted_content_key, 'hex') AS "wrappedHex"
     FROM video_asset_versions WHERE asset_id = $1::uuid AND version = $2::int AND drm_key_id IS NOT NULL`,
    [assetId, version],
  );
}

/**
 * Stores a version's key material unless it already has some (a retried job
 * keeps the first key, so outputs and keys stay consistent); answers the
 * material the version ends up with.
 */
export function ensureVersionKey(input: { assetId: string; version: number; keyId: string; kekId: string; wrappedHex: string }): Statement<VersionKeyRow> {
  return sql(
    `WITH set AS (
       UPDATE video_asset_versions SET drm_key_id = $3::uuid, kek_id = $4, encrypted_content_key = decode($5, 'hex')
       WHERE asset_id = $1::uuid AND version = $2::int AND drm_key_id IS NULL
       RETURNING drm_key_id, kek_id, encrypted_content_key
     )
     SELECT drm_key_id AS "keyId", kek_id AS "kekId", encode(encrypted_content_key, 'hex') AS "wrappedHex" FROM set
     UNION ALL
     SELECT drm_key_id, kek_id, encode(encrypted_content_key, 'hex') FROM video_asset_versions
     WHERE asset_id = $1::uuid AND version = $2::int AND drm_key_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM set)`,
    [input.assetId, input.version, input.keyId, input.kekId, input.wrappedHex],
  );
}
