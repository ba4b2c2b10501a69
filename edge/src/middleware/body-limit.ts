// Rejects oversized bodies before any handler reads them. Media never passes
// through the Worker (clients upload to the bucket with presigned URLs), so
// JSON bodies stay small.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { ApiError } from '../lib/errors.ts';
import type { AppEnv } from '../types.ts';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function bodyLimit(maxBytes = DEFAULT_MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`, { details: { maxBytes } });
    },
  });
}
