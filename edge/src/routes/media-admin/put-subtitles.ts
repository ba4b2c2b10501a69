// PUT /admin/assets/{assetId}/subtitles/{lang}: an editor's WebVTT track for
// the asset's working version; the transcode packages it into both manifests.
import { createRoute, z } from '@hono/zod-openapi';
import { auditEntry } from '../../../../db/sql/audit.ts';
import { getUpload, SUBTITLES_TOO_LATE, upsertSubtitleTrack, type SubtitleUploadRow } from '../../../../db/sql/uploads.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';

const MAX_VTT_BYTES = 1024 * 1024;

const Params = z.object({
  assetId: z.uuid().openapi({ param: { name: 'assetId', in: 'path' } }),
  lang: z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code such as fa or en').openapi({ param: { name: 'lang', in: 'path' }, example: 'fa' }),
});
const Query = z
  .object({
    kind: z.enum(['subtitles', 'captions', 'forced']).default('subtitles'),
    label: z.string().trim().min(1).max(100).optional().openapi({ example: 'فارسی' }),
    default: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  })
  .strict();

const SubtitleTrack = z.object({ version: z.number().int(), lang: z.string(), kind: z.string(), label: z.string().nullable(), isDefault: z.boolean() }).openapi('SubtitleTrack');

export const putSubtitlesRoute = createRoute({
  method: 'put',
  path: '/admin/assets/{assetId}/subtitles/{lang}',
  tags: ['media'],
  summary: 'Upload a subtitle track',
  description:
    'Editors. The body is the WebVTT file (`Content-Type: text/vtt`, up to 1 MiB). It belongs to the asset’s working version and ' +
    'is packaged into the HLS and DASH manifests by the transcode, so upload it before completing the source upload (or with a ' +
    'replacement source, or before retrying a failed transcode). Uploading the same language and kind again replaces it.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: Params, query: Query, body: { required: true, content: { 'text/vtt': { schema: z.string() } } } },
  responses: {
    200: { description: 'Stored.', content: { 'application/json': { schema: SubtitleTrack } } },
    400: errorResponse('VALIDATION_FAILED: not a WebVTT file, bad language.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    404: errorResponse('NOT_FOUND'),
    409: errorResponse('CONFLICT: the version is already being transcoded or done.'),
    413: errorResponse('PAYLOAD_TOO_LARGE'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPutSubtitles(app: Router): void {
  app.openapi(putSubtitlesRoute, async (c) => {
    const { assetId, lang } = c.req.valid('param');
    const q = c.req.valid('query');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.byteLength > MAX_VTT_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', 'A subtitle file may be at most 1 MiB');
    const text = new TextDecoder().decode(bytes);
    if (text.includes('\uFFFD')) throw invalid('must be UTF-8 text');
    if (!/^\uFEFF?WEBVTT(?:[ \t][^\n]*)?\r?\n/.test(text)) throw invalid('must be a WebVTT file (first line WEBVTT)');
    const db = c.get('services').db;
    const [asset] = await db.run(getUpload(assetId));
    if (!asset) throw new ApiError('NOT_FOUND', 'No such video asset');
    const storageKey = `uploads/${assetId}/v${asset.version}/subtitles/${q.kind === 'subtitles' ? lang : `${lang}-${q.kind}`}.vtt`;
    await c.get('services').objectStore.put(storageKey, bytes, { contentType: 'text/vtt; charset=utf-8' });
    let track: SubtitleUploadRow | undefined;
    try {
      const results = await db.batch([
        ...upsertSubtitleTrack({ assetId, version: asset.version, lang, kind: q.kind, label: q.label ?? null, isDefault: q.default, storageKey }),
        auditEntry({ actorUserId: currentAuth(c).userId, action: 'video_asset.subtitles_upload', entityType: 'video_asset', entityId: assetId, after: { version: asset.version, lang, kind: q.kind }, requestId: c.get('requestId') }),
      ]);
      track = (results[2] as SubtitleUploadRow[])[0];
    } catch (err) {
      if (err instanceof Error && err.message.includes(SUBTITLES_TOO_LATE)) {
        throw new ApiError('CONFLICT', 'This version is already transcoded or being transcoded; add subtitles with a new source (or to a failed version before retrying)', { details: { reason: 'already_packaged', status: asset.status } });
      }
      throw err;
    }
    const { storageKey: _key, ...body } = track!;
    return c.json(body, 200);
  });
}

function invalid(message: string): ApiError {
  return new ApiError('VALIDATION_FAILED', `Invalid request: body: ${message}`, { details: { issues: [{ path: 'body', code: 'custom', message }] } });
}
