// GET /admin/jobs: background jobs with attempts, progress and the last error.
import { createRoute, z } from '@hono/zod-openapi';
import { listJobs, type JobListRow } from '../../../../db/sql/media-admin.ts';
import { CursorSchema, page } from '../../lib/cursor.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';

const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
const MAX_PAGE = 100;

export const JobSchema = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    type: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    status: z.enum(JOB_STATUSES),
    attempts: z.number().int(),
    progress: z.number().int(),
    step: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Job');

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export const toJob = ({ cursorAt: _c, ...j }: JobListRow) => ({
  ...j,
  status: j.status as (typeof JOB_STATUSES)[number],
  createdAt: iso(j.createdAt)!,
  startedAt: iso(j.startedAt),
  finishedAt: iso(j.finishedAt),
});

export const GetJobsQuery = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    subjectId: z.string().min(1).max(200).optional().openapi({ description: 'e.g. a video asset id.' }),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20),
    cursor: CursorSchema.optional(),
  })
  .strict();

export const getJobsRoute = createRoute({
  method: 'get',
  path: '/admin/jobs',
  tags: ['media'],
  summary: 'List background jobs',
  description: 'Editors. Newest first.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: GetJobsQuery },
  responses: {
    200: { description: 'One page.', content: { 'application/json': { schema: z.object({ jobs: z.array(JobSchema), nextCursor: z.string().nullable() }) } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetJobs(app: Router): void {
  app.openapi(getJobsRoute, async (c) => {
    const q = c.req.valid('query');
    const rows = await c.get('services').db.run(listJobs({ status: q.status ?? null, subjectId: q.subjectId ?? null, before: q.cursor ?? null, limit: q.limit + 1 }));
    const { items, nextCursor } = page(rows, q.limit);
    return c.json({ jobs: items.map(toJob), nextCursor }, 200);
  });
}
