// Routers for route files: every OpenAPIHono gets the validation hook itself
// rather than relying on being mounted under the root app first.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../types.ts';
import { validationHook } from './errors.ts';

export type Router = OpenAPIHono<AppEnv>;

export function createRouter(): Router {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
