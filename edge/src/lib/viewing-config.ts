// Resume rules (issue 4): below RESUME_MIN_PERCENT of a title a position does
// not resume (an accidental start); at or past RESUME_MAX_PERCENT the title
// counts as watched (credits) and "continue watching" offers the next episode.
import { z } from 'zod';

export const viewingSchema = z
  .object({
    RESUME_MIN_PERCENT: z.coerce.number().min(0).max(50).default(5),
    RESUME_MAX_PERCENT: z.coerce.number().min(50).max(100).default(90),
  })
  .refine((v) => v.RESUME_MIN_PERCENT < v.RESUME_MAX_PERCENT, { message: 'must be below RESUME_MAX_PERCENT', path: ['RESUME_MIN_PERCENT'] });

export interface ViewingConfig {
  resumeMin: number;
  /** Also the completion ratio of a flush. */
  resumeMax: number;
}

export function toViewingConfig(d: z.output<typeof viewingSchema>): ViewingConfig {
  return { resumeMin: d.RESUME_MIN_PERCENT / 100, resumeMax: d.RESUME_MAX_PERCENT / 100 };
}

export type ResumeState = 'not_started' | 'in_progress' | 'watched';

/** Where to resume and whether the title counts as watched. */
export function resumeOf(position: number, duration: number, config: ViewingConfig): { state: ResumeState; resumeSeconds: number } {
  const ratio = duration > 0 ? position / duration : 0;
  if (ratio >= config.resumeMax) return { state: 'watched', resumeSeconds: 0 };
  if (ratio < config.resumeMin) return { state: 'not_started', resumeSeconds: 0 };
  return { state: 'in_progress', resumeSeconds: Math.floor(position) };
}
