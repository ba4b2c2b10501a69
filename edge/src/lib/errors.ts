// One error shape for every failure the API answers:
//   { "error": { "code": "NOT_FOUND", "message": "...", "requestId": "...", "details": ... } }
// `code` is a closed, stable enum clients can switch on; `message` is for
// humans; nothing here ever carries a stack trace, SQL or a secret.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from './logger.ts';

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CONFIG_INVALID: 500,
  UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, opts: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = opts.details;
    this.headers = opts.headers;
  }
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ description: 'Stable machine-readable code.', example: 'NOT_FOUND' }),
      message: z.string().openapi({ description: 'Human-readable explanation.', example: 'No route for GET /api/v1/nope' }),
      requestId: z.string().openapi({ description: 'Also sent as the X-Request-Id header.', example: 'c0ffee00-0000-4000-8000-000000000000' }),
      details: z.unknown().optional().openapi({ description: 'Code-specific context, e.g. the failing fields for VALIDATION_FAILED.' }),
    }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof ErrorSchema>;

/** An OpenAPI response entry for route definitions: `responses: { 400: errorResponse('...') }`. */
export function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ErrorSchema } } };
}

/** Renders an ApiError as the envelope, with the request id from the context. */
export function renderError(c: Context, err: ApiError): Response {
  const body: ErrorBody = {
    error: { code: err.code, message: err.message, requestId: (c.get('requestId') as string | undefined) ?? '' },
  };
  if (err.details !== undefined) body.error.details = err.details;
  return c.json(body, err.status, err.headers);
}

const CODE_FOR_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * Maps anything thrown to an ApiError. Hono's own HTTPExceptions (malformed
 * JSON, body limit) keep their status; anything else is a crash and becomes a
 * generic INTERNAL whose real cause stays in the server log.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException && err.status < 500) {
    const code = CODE_FOR_STATUS[err.status] ?? 'BAD_REQUEST';
    return new ApiError(code, err.message || defaultMessage(code), { cause: err });
  }
  return new ApiError('INTERNAL', 'Internal server error', { cause: err });
}

function defaultMessage(code: ErrorCode): string {
  return code.charAt(0) + code.slice(1).toLowerCase().replaceAll('_', ' ');
}

// ---- Handlers wired in app.ts ------------------------------------------------

/** app.onError: every thrown error ends here and leaves as the envelope. */
export function onError(err: Error, c: Context): Response {
  const apiError = toApiError(err);
  const log = c.get('logger') as Logger | undefined;
  if (apiError.code === 'INTERNAL' || apiError.code === 'CONFIG_INVALID') {
    // The real cause (stack included) is logged server-side only.
    log?.error(apiError.code === 'INTERNAL' ? 'unhandled error' : apiError.message, {
      code: apiError.code,
      method: c.req.method,
      path: c.req.path,
      error: apiError.cause ?? apiError,
    });
  }
  return renderError(c, apiError);
}

/** app.notFound */
export function notFound(c: Context): Response {
  return renderError(c, new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`));
}

const TARGET_NAMES: Record<string, string> = { json: 'body', form: 'body', param: 'path', query: 'query', header: 'header', cookie: 'cookie' };

/**
 * The zod-openapi defaultHook: a request that fails its route schema answers
 * VALIDATION_FAILED with one entry per problem, e.g. { path: 'body.title' }.
 */
export const validationHook = (
  result: { target: string } & ({ success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[] } }),
  c: Context,
): Response | undefined => {
  if (result.success) return undefined;
  const where = TARGET_NAMES[result.target] ?? result.target;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).slice(0, 3).join('; ');
  return renderError(c, new ApiError('VALIDATION_FAILED', `Invalid request: ${summary}`, { details: { issues } }));
};
