// A setting that holds JSON (key lists in secrets): parsed with a clear
// CONFIG_INVALID message that never echoes the value, then validated by
// `schema`.
import { z } from 'zod';

export function jsonSetting<S extends z.ZodType>(what: string, schema: S) {
  return z
    .string({ error: `is required: ${what}` })
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be ${what} (not valid JSON)` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
