// Upload settings (issue 5): what editors may upload, and where transcode jobs
// go. A dependency config like the others in env.ts.
import { z } from 'zod';

const GiB = 1024 ** 3;
const DEFAULT_TYPES = ['video/mp4', 'video/quicktime', 'video/x-matroska', 'video/webm', 'video/mpeg', 'video/x-msvideo', 'video/mxf'];

export const uploadsSchema = z.object({
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).max(5 * 1024 * GiB).default(50 * GiB),
  UPLOAD_CONTENT_TYPES: z
    .string()
    .transform((s) => s.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'each entry must be a media type such as video/mp4')).min(1))
    .default(DEFAULT_TYPES),
  // Presigned part URLs live this long: long enough for one slow part, short enough to be useless when leaked.
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(300).max(7 * 86_400).default(6 * 3_600),
  // The pg-boss queue completed uploads go to (db/queues.ts); tests point it at a queue of their own.
  TRANSCODE_QUEUE: z.string().regex(/^[a-z][a-z0-9_-]{0,49}$/, 'must be a queue name').default('transcode'),
});

export interface UploadsConfig {
  maxBytes: number;
  contentTypes: string[];
  urlTtlSeconds: number;
  transcodeQueue: string;
}

export function toUploadsConfig(d: z.output<typeof uploadsSchema>): UploadsConfig {
  return { maxBytes: d.UPLOAD_MAX_BYTES, contentTypes: d.UPLOAD_CONTENT_TYPES, urlTtlSeconds: d.UPLOAD_URL_TTL_SECONDS, transcodeQueue: d.TRANSCODE_QUEUE };
}

const MiB = 1024 * 1024;
/** S3 allows at most 10,000 parts of at least 5 MiB (but the last). */
export const MAX_PARTS = 10_000;

/** The part size for a source of `size` bytes: 16 MiB, or more so the parts stay within 10,000. */
export function partSizeFor(size: number): number {
  return Math.max(16 * MiB, Math.ceil(size / MAX_PARTS / MiB) * MiB);
}

export function partCountFor(size: number): number {
  return Math.max(1, Math.ceil(size / partSizeFor(size)));
}
