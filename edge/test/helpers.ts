// Shared test helpers: a fresh app called with the real test bindings, or
// with some of them replaced (undefined removes a variable).
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { createApp } from '../src/app.ts';
import type { Env } from '../src/env.ts';

export function envWith(overrides: Partial<Record<keyof Env, string | undefined>>): Env {
  const copy: Record<string, unknown> = { ...env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete copy[k];
    else copy[k] = v;
  }
  return copy as unknown as Env;
}

/** Calls a fresh app; pass `bindings` to run it against another environment. */
export async function call(path: string, init?: RequestInit, bindings: Env = env): Promise<Response> {
  return createApp().request(path, init, bindings);
}

export interface Envelope {
  error: { code: string; message: string; requestId: string; details?: any };
}

/** Asserts the error envelope, that its request id matches the header, and returns it. */
export async function expectEnvelope(res: Response, status: number, code: string): Promise<Envelope> {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
  const body = (await res.json()) as Envelope;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.requestId).toBeTruthy();
  expect(res.headers.get('X-Request-Id')).toBe(body.error.requestId);
  return body;
}
