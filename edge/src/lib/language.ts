// The response language for localized catalog fields: `?lang=` wins, then the
// best supported entry of Accept-Language (by q-value, then order), then
// Persian, the audience's first language. Text is returned exactly as stored:
// right-to-left strings are never reordered or wrapped in marks.
import type { Context } from 'hono';
import { ApiError } from './errors.ts';

export const LANGUAGES = ['fa', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'fa';

function isLanguage(v: string): v is Language {
  return (LANGUAGES as readonly string[]).includes(v);
}

/** Parses an Accept-Language header into supported languages, best first. */
export function languagesFromHeader(header: string | undefined): Language[] {
  if (!header) return [];
  const ranked: { lang: Language; q: number; i: number }[] = [];
  header.split(',').slice(0, 20).forEach((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0] ?? '';
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (isLanguage(primary) && Number.isFinite(q) && q > 0) ranked.push({ lang: primary, q, i });
  });
  ranked.sort((a, b) => b.q - a.q || a.i - b.i);
  return [...new Set(ranked.map((r) => r.lang))];
}

/**
 * The language to answer in. An unsupported `?lang=` is a 400 (the client
 * asked for something explicit); an unsupported Accept-Language just falls back.
 */
export function resolveLanguage(c: Context): Language {
  const explicit = c.req.query('lang');
  if (explicit !== undefined) {
    if (!isLanguage(explicit)) {
      const message = `must be one of: ${LANGUAGES.join(', ')}`;
      throw new ApiError('VALIDATION_FAILED', `Invalid request: query.lang: ${message}`, { details: { issues: [{ path: 'query.lang', code: 'invalid_value', message }] } });
    }
    return explicit;
  }
  return languagesFromHeader(c.req.header('Accept-Language'))[0] ?? DEFAULT_LANGUAGE;
}

/** The other language, used when a field is missing in the requested one. */
export function fallbackLanguage(lang: Language): Language {
  return lang === 'fa' ? 'en' : 'fa';
}
