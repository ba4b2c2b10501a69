// What minting a playback session needs to know, in ONE statement: the title
// (visible to this profile, or previewed by an editor), the video asset and the
// version to play, the caller's device and plan limits, and the resume point.
// The edge turns the answer into the right error or a session; see
// edge/src/services/playback/mint-playback.ts.
import { sql, type Statement } from './statement.ts';
import type { Tier } from './devices.ts';

export type PlaybackKind = 'main' | 'trailer';

export interface PlaybackLookupInput {
  userId: string;
  sessionId: string;
  profileId: string | null;
  /** The active profile's cap; null = no profile (the account holder sees everything live). */
  maturityCap: number | null;
  tier: Tier;
  /** Editors and admins may play titles that are not live yet (preview). */
  preview: boolean;
  contentId: string;
  episodeId: string | null;
  kind: PlaybackKind;
}

export interface PlaybackLookupRow {
  contentType: 'movie' | 'series';
  /** The title (and the episode, when one was asked for) is visible to this viewer. */
  visible: boolean;
  /** An episode was asked for (or needed) and exists in this series. */
  episodeFound: boolean;
  titleFa: string | null;
  titleEn: string | null;
  assetId: string | null;
  /** The version playback serves: the published one, else a working version that is playable. */
  version: number | null;
  /** That version's outputs are complete (published, or ready). */
  final: boolean;
  drmProtected: boolean;
  durationSeconds: number | null;
  posterKey: string | null;
  storyboardKey: string | null;
  storagePrefix: string | null;
  /** Where the manifests are: the version's root, or hls/ and dash/ for DRM packaging. */
  hlsManifestKey: string | null;
  dashManifestKey: string | null;
  deviceLive: boolean;
  deviceName: string | null;
  devicePlatform: string | null;
  maxStreams: number;
  maxVideoHeight: number;
  resumeSeconds: number | null;
  resumeCompleted: boolean | null;
  /** The version's packaged subtitle tracks. */
  subtitles: { lang: string; label: string | null; kind: 'subtitles' | 'captions' | 'forced'; isDefault: boolean }[] | null;
}

export function lookupPlayback(input: PlaybackLookupInput): Statement<PlaybackLookupRow> {
  return sql(
    `WITH item AS (
       SELECT c.id, c.type, c.status, c.publish_at, c.maturity_rating, e.id AS episode_id, e.status AS e_status, e.publish_at AS e_publish_at
       FROM content c
       LEFT JOIN episodes e ON e.id = $8::uuid AND e.series_id = c.id
       WHERE c.id = $7::uuid
     ), asset AS (
       SELECT va.* FROM item, LATERAL (
         SELECT va.* FROM video_assets va
         WHERE CASE WHEN $9 = 'trailer' THEN va.trailer_of_content_id = item.id
                    WHEN item.type = 'movie' THEN va.movie_id = item.id
                    ELSE va.episode_id = item.episode_id END
         -- Several trailers: the newest one that can play.
         ORDER BY va.published_version IS NULL, va.created_at DESC
         LIMIT 1
       ) va
     ), chosen AS (
       SELECT asset.*,
              COALESCE(asset.published_version, CASE WHEN asset.status IN ('playable', 'ready') THEN asset.version END) AS play_version
       FROM asset
     ), device AS (
       SELECT d.name, d.platform
       FROM refresh_token_families f JOIN devices d ON d.id = f.device_id
       WHERE f.id = $2::uuid AND f.user_id = $1::uuid AND f.revoked_at IS NULL AND d.revoked_at IS NULL
     )
     SELECT item.type AS "contentType",
            ($6::boolean OR (catalog_is_visible(item.status, item.publish_at, item.maturity_rating, $4::smallint)
              AND (item.type = 'movie' OR $9 = 'trailer' OR item.episode_id IS NULL OR catalog_is_live(item.e_status, item.e_publish_at)))) AS visible,
            (item.type = 'movie' OR $9 = 'trailer' OR item.episode_id IS NOT NULL) AS "episodeFound",
            (SELECT title FROM content_translations WHERE content_id = item.id AND lang = 'fa') AS "titleFa",
            (SELECT title FROM content_translations WHERE content_id = item.id AND lang = 'en') AS "titleEn",
            chosen.id AS "assetId", chosen.play_version AS version,
            COALESCE(chosen.play_version = chosen.published_version OR chosen.status = 'ready', false) AS final,
            COALESCE(chosen.drm_protected, false) AS "drmProtected",
            v.duration_seconds::float8 AS "durationSeconds", v.poster_key AS "posterKey", v.storyboard_key AS "storyboardKey",
            v.storage_prefix AS "storagePrefix", v.hls_manifest_key AS "hlsManifestKey", v.dash_manifest_key AS "dashManifestKey",
            EXISTS (SELECT 1 FROM device) AS "deviceLive",
            (SELECT name FROM device) AS "deviceName", (SELECT platform FROM device) AS "devicePlatform",
            t.max_streams AS "maxStreams", t.max_video_height AS "maxVideoHeight",
            h.position_seconds AS "resumeSeconds", h.completed AS "resumeCompleted",
            (SELECT json_agg(json_build_object('lang', s.lang, 'label', s.label, 'kind', s.kind, 'isDefault', s.is_default) ORDER BY s.lang, s.kind)
             FROM subtitle_tracks s WHERE s.asset_id = chosen.id AND s.version = chosen.play_version) AS subtitles
     FROM item
     JOIN subscription_tiers t ON t.tier = $5
     LEFT JOIN chosen ON true
     LEFT JOIN video_asset_versions v ON v.asset_id = chosen.id AND v.version = chosen.play_version
     LEFT JOIN watch_history h ON $9 = 'main' AND h.profile_id = $3::uuid AND h.content_id = item.id
                                AND h.episode_id IS NOT DISTINCT FROM (CASE WHEN item.type = 'series' THEN item.episode_id END)`,
    [input.userId, input.sessionId, input.profileId, input.maturityCap, input.tier, input.preview, input.contentId, input.episodeId, input.kind],
  );
}
