// Shared by the CMS test files: a title as the admin routes answer it, and
// creating one (a movie draft unless the body says otherwise).
import { expect } from 'vitest';
import { api } from './auth-helpers.ts';

export interface TitleSnapshot {
  id: string;
  status: string;
  updatedAt: string;
  slug: string | null;
  originalTitle: string | null;
  publishedAt: string | null;
  images: Record<string, string>;
  genres: string[];
  translations: Record<string, { title: string; tagline: string | null; synopsis: string | null }>;
}

/** A short unique suffix, so every test's slugs and titles are its own. */
export const tag = () => crypto.randomUUID().slice(0, 8);

export async function createTitle(token: string, body: Record<string, unknown>): Promise<TitleSnapshot> {
  const res = await api('/admin/content', { token, body: { type: 'movie', originalLanguage: 'fa', year: 2024, maturityRating: 0, ...body } });
  expect(res.status).toBe(201);
  return (await res.json()) as TitleSnapshot;
}
