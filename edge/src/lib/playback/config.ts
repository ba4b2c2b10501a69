// Playback settings, parsed like the other dependency configs (env.ts): a
// broken value fails only /playback and /media, as CONFIG_INVALID naming it.
import { z } from 'zod';
import { jsonSetting } from '../json-setting.ts';

export interface MediaTokenKey {
  kid: string;
  /** base64url, at least 32 bytes. */
  secret: string;
}

const mediaTokenKeys = jsonSetting(
  'a JSON array of { kid, secret } (secret: 32+ random bytes, base64url), the first signs',
  z
    .array(
      z
        .object({
          kid: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'each kid must be 1-32 of A-Z a-z 0-9 _ -'),
          secret: z.string().regex(/^[A-Za-z0-9_-]{43,}$/, 'each secret must be 32+ bytes, base64url'),
        })
        .strict(),
      { error: 'must be a JSON array of { kid, secret }' },
    )
    .min(1, 'must hold at least one key')
    .max(3, 'must hold at most 3 keys (current, previous, next)')
    .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, 'every key needs a distinct kid'),
);

const seconds = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const playbackSchema = z.object({
  MEDIA_TOKEN_KEYS: mediaTokenKeys,
  // How long a playback URL works, by what is played: longer than the title
  // plus pauses, short enough that a leaked URL dies soon.
  PLAYBACK_TTL_TRAILER_SECONDS: seconds(300, 86_400, 1_800),
  PLAYBACK_TTL_EPISODE_SECONDS: seconds(900, 86_400, 3 * 3_600),
  PLAYBACK_TTL_MOVIE_SECONDS: seconds(900, 86_400, 6 * 3_600),
  // A stream's lease lives this long after its last heartbeat (players beat every ~10 s).
  STREAM_LEASE_SECONDS: seconds(20, 600, 60),
  // Where players fetch /media from (a CDN hostname in front of the Worker); the API's own origin when unset.
  MEDIA_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

export interface PlaybackConfig {
  tokenKeys: MediaTokenKey[];
  /** The raw secret text: the key of the per-isolate imported-key cache. */
  tokenKeysSource: string;
  ttlSeconds: { trailer: number; episode: number; movie: number };
  leaseSeconds: number;
  mediaBaseUrl?: string;
}

export function toPlaybackConfig(d: z.output<typeof playbackSchema>, raw: string): PlaybackConfig {
  return {
    tokenKeys: d.MEDIA_TOKEN_KEYS,
    tokenKeysSource: raw,
    ttlSeconds: { trailer: d.PLAYBACK_TTL_TRAILER_SECONDS, episode: d.PLAYBACK_TTL_EPISODE_SECONDS, movie: d.PLAYBACK_TTL_MOVIE_SECONDS },
    leaseSeconds: d.STREAM_LEASE_SECONDS,
    mediaBaseUrl: d.MEDIA_BASE_URL?.replace(/\/+$/, ''),
  };
}
