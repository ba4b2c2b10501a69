// Request schemas and dependencies of the CMS routes.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { readsAsContentId } from '../../../../db/sql/catalog.ts';
import { ApiError } from '../../lib/errors.ts';
import { currentAuth } from '../../middleware/auth.ts';
import type { CmsDeps } from '../../services/cms/write.ts';
import type { AppEnv } from '../../types.ts';

const nullableText = (max: number, what: string) =>
  z.string().trim().max(max).nullable().optional().openapi({ description: `${what}. Omitted: keeps the stored value; \`null\`: clears it.` });

export const TranslationSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    tagline: nullableText(300, 'One line under the title'),
    synopsis: nullableText(5000, 'The synopsis'),
  })
  .strict();
export const Translations = z.object({ fa: TranslationSchema.optional(), en: TranslationSchema.optional() }).strict();

// Episodes have no tagline: sending one is an unknown field, not something to drop silently.
export const EpisodeTranslationSchema = z.object({ title: z.string().trim().min(1).max(300), synopsis: nullableText(5000, 'The synopsis') }).strict();

// content.images' CHECK (migration 0003) allows these keys with string values;
// checking here answers VALIDATION_FAILED naming the field instead of a DB error.
const ImageKey = z.string().min(1).max(512).regex(/^[^\s/]\S*$/, 'an object-store key (no spaces, no leading slash)');
const Images = z.object({ poster: ImageKey, backdrop: ImageKey, logo: ImageKey, thumbnail: ImageKey }).partial().strict();

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// GET /catalog/{idOrSlug} reads a uuid as an id, and GET /catalog/home is the
// home rails route (routes/catalog/get-catalog.ts): a title with such a slug
// could never be reached by it.
const RESERVED_SLUGS = new Set(['home']);
const Slug = z
  .string()
  .regex(SLUG, 'lower-case words joined by hyphens')
  .max(120)
  .refine((s) => !RESERVED_SLUGS.has(s), 'is reserved: /catalog/home is the home page')
  .refine((s) => !readsAsContentId(s), 'must not look like a title id');

export const ContentFieldsSchema = z
  .object({
    slug: Slug.nullable().optional().openapi({ description: 'The catalog address (`/catalog/{slug}`); not `home`, not shaped like an id.' }),
    originalTitle: z.string().trim().min(1).max(300).nullable().optional().openapi({ description: 'The name as released in the original language, searched beside the translations. `null` clears it.' }),
    year: z.number().int().min(1888).max(2100).nullable().optional(),
    maturityRating: z.union([z.literal(0), z.literal(7), z.literal(12), z.literal(15), z.literal(18)]).optional(),
    originalLanguage: z.string().regex(/^[a-z]{2,3}$/).optional(),
    images: Images.optional().openapi({ description: 'Object-store keys of the artwork (`poster`, `backdrop`, `logo`, `thumbnail`); replaces the stored set.' }),
    translations: Translations.optional(),
    genres: z.array(z.string().regex(SLUG)).max(10).optional().openapi({ description: 'Genre slugs; replaces the set.' }),
  })
  .strict();

export const ContentIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export function cmsDeps(c: Context<AppEnv>): CmsDeps {
  return { db: c.get('services').db, redis: c.get('services').redis, logger: c.get('logger'), actor: { actorId: currentAuth(c).userId, requestId: c.get('requestId') } };
}

/** A schedule in the past would publish at once under a "scheduled" label; publishing now is the honest action. */
export function assertFuture(publishAt: string, path: string): void {
  if (Date.parse(publishAt) > Date.now()) return;
  throw new ApiError('VALIDATION_FAILED', `Invalid request: ${path}: must be in the future (publish now instead)`, { details: { issues: [{ path, code: 'custom', message: 'must be in the future' }] } });
}
