// Request schemas and dependencies of the CMS routes.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { currentAuth } from '../../middleware/auth.ts';
import type { CmsDeps } from '../../services/cms/write.ts';
import type { AppEnv } from '../../types.ts';

export const TranslationSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    tagline: z.string().trim().max(300).nullable().optional(),
    synopsis: z.string().trim().max(5000).nullable().optional(),
  })
  .strict();
export const Translations = z.object({ fa: TranslationSchema.optional(), en: TranslationSchema.optional() }).strict();

const Images = z.object({ poster: z.string(), backdrop: z.string(), logo: z.string(), thumbnail: z.string() }).partial().strict();

export const ContentFieldsSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens').max(120).nullable().optional(),
    year: z.number().int().min(1888).max(2100).nullable().optional(),
    maturityRating: z.union([z.literal(0), z.literal(7), z.literal(12), z.literal(15), z.literal(18)]).optional(),
    originalLanguage: z.string().regex(/^[a-z]{2,3}$/).optional(),
    images: Images.optional().openapi({ description: 'Object-store keys of the artwork.' }),
    translations: Translations.optional(),
    genres: z.array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)).max(10).optional().openapi({ description: 'Genre slugs; replaces the set.' }),
  })
  .strict();

export const ContentIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export function cmsDeps(c: Context<AppEnv>): CmsDeps {
  return { db: c.get('services').db, redis: c.get('services').redis, logger: c.get('logger'), actor: { actorId: currentAuth(c).userId, requestId: c.get('requestId') } };
}
