// Every failure answers the one envelope with a stable code and the request
// id, and never a stack trace.
import { createRoute, z } from '@hono/zod-openapi';
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.ts';
import { errorResponse } from '../src/lib/errors.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../src/middleware/body-limit.ts';
import { call, envWith, expectEnvelope } from './helpers.ts';

const worker = exports.default;
const url = (path: string) => `http://edge.test${path}`;

afterEach(() => vi.restoreAllMocks());

/** A fresh app with test-only routes; production registers none of these. */
function appWithTestRoutes() {
  const app = createApp();
  const createItem = createRoute({
    method: 'post',
    path: '/test/items',
    request: {
      query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
      body: { content: { 'application/json': { schema: z.object({ title: z.string().min(3), count: z.number().int() }) } } },
    },
    responses: { 201: { description: 'created' }, 400: errorResponse('invalid') },
  });
  app.openapi(createItem, (c) => c.json(c.req.valid('json'), 201));
  app.get('/test/crash', () => {
    throw new Error('boom: password=hunter2 at db.internal:5432');
  });
  app.get('/test/db', async (c) => c.json(await c.var.services.db.run({ text: 'SELECT 1 AS one', params: [] })));
  return app;
}

describe('not found', () => {
  it('answers 404 NOT_FOUND with the request id', async () => {
    const res = await worker.fetch(url('/api/v1/nope'), { headers: { 'X-Request-Id': 'req-404' } });
    const body = await expectEnvelope(res, 404, 'NOT_FOUND');
    expect(body.error.requestId).toBe('req-404');
    expect(body.error.message).toBe('No route for GET /api/v1/nope');
  });
});

describe('method not allowed', () => {
  it('answers 405 METHOD_NOT_ALLOWED with an Allow header', async () => {
    const res = await worker.fetch(url('/health'), { method: 'DELETE' });
    const body = await expectEnvelope(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('Allow')).toBe('GET, HEAD');
    expect(body.error.details.allow).toEqual(['GET', 'HEAD']);
  });

  it('works under /api/v1 too', async () => {
    const res = await worker.fetch(url('/api/v1/openapi.json'), { method: 'PUT', body: '{}' });
    await expectEnvelope(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('Allow')).toBe('GET, HEAD');
  });
});

describe('payload too large', () => {
  const big = 'x'.repeat(DEFAULT_MAX_BODY_BYTES + 1);

  it('answers 413 PAYLOAD_TOO_LARGE for a declared oversized body', async () => {
    const res = await worker.fetch(url('/api/v1/anything'), { method: 'POST', body: big, headers: { 'Content-Type': 'application/json' } });
    const body = await expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(body.error.details).toEqual({ maxBytes: DEFAULT_MAX_BODY_BYTES });
  });

  it('answers 413 for a streamed body without Content-Length', async () => {
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const res = await appWithTestRoutes().request('/test/items', { method: 'POST', body: stream, headers: { 'Content-Type': 'application/json' } }, env);
    await expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('validation', () => {
  it('answers 400 VALIDATION_FAILED with the failing field paths', async () => {
    const res = await appWithTestRoutes().request(
      '/test/items?dryRun=maybe',
      { method: 'POST', body: JSON.stringify({ title: 'ab', count: 1.5 }), headers: { 'Content-Type': 'application/json' } },
      env,
    );
    const body = await expectEnvelope(res, 400, 'VALIDATION_FAILED');
    // Hono validates the query before the body: the first failing target answers.
    expect(body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['query.dryRun']);
  });

  it('lists every failing body field', async () => {
    const res = await appWithTestRoutes().request(
      '/test/items',
      { method: 'POST', body: JSON.stringify({ title: 'ab', count: 1.5 }), headers: { 'Content-Type': 'application/json' } },
      env,
    );
    const body = await expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.count', 'body.title']);
    expect(body.error.message).toMatch(/^Invalid request: body\./);
  });

  it('answers 400 BAD_REQUEST for malformed JSON', async () => {
    const res = await appWithTestRoutes().request('/test/items', { method: 'POST', body: '{"title":', headers: { 'Content-Type': 'application/json' } }, env);
    await expectEnvelope(res, 400, 'BAD_REQUEST');
  });

  it('lets a valid request through', async () => {
    const res = await appWithTestRoutes().request(
      '/test/items',
      { method: 'POST', body: JSON.stringify({ title: 'abc', count: 2 }), headers: { 'Content-Type': 'application/json' } },
      env,
    );
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ title: 'abc', count: 2 });
  });
});

describe('crash', () => {
  it('answers 500 INTERNAL with a generic message and logs the stack server-side only', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void logged.push(line));
    const res = await appWithTestRoutes().request('/test/crash', {}, env);
    const text = await res.clone().text();
    const body = await expectEnvelope(res, 500, 'INTERNAL');
    expect(body.error.message).toBe('Internal server error');
    expect(text).not.toMatch(/boom|hunter2|stack|\.ts:\d+/);

    const line = logged.map((l) => JSON.parse(l)).find((l) => l.message === 'unhandled error');
    expect(line).toMatchObject({ level: 'error', requestId: body.error.requestId, fields: { code: 'INTERNAL' } });
    expect(line.fields.error.stack).toContain('boom');
    // Secrets in the error are masked even in the server log.
    expect(JSON.stringify(line)).not.toContain('hunter2');
  });
});

describe('configuration', () => {
  it('answers 500 CONFIG_INVALID naming a missing variable', async () => {
    const res = await call('/health', undefined, envWith({ ENVIRONMENT: undefined }));
    const body = await expectEnvelope(res, 500, 'CONFIG_INVALID');
    expect(body.error.message).toContain('ENVIRONMENT');
    expect(body.error.details.variables.map((v: { variable: string }) => v.variable)).toEqual(['ENVIRONMENT']);
  });

  it('names every invalid variable in one answer', async () => {
    const res = await call('/api/v1/nope', undefined, envWith({ LOG_LEVEL: 'loud', CORS_ORIGINS: 'https://ok.example,not a url' }));
    const body = await expectEnvelope(res, 500, 'CONFIG_INVALID');
    expect(body.error.details.variables.map((v: { variable: string }) => v.variable).sort()).toEqual(['CORS_ORIGINS', 'LOG_LEVEL']);
  });

  it('names a dependency variable without echoing its value when a route uses it', async () => {
    const res = await appWithTestRoutes().request('/test/db', {}, envWith({ DATABASE_URL: 'mysql://irdnl:s3cr3t@db.internal/x' }));
    const text = await res.clone().text();
    const body = await expectEnvelope(res, 500, 'CONFIG_INVALID');
    expect(body.error.message).toContain('DATABASE_URL');
    expect(text).not.toContain('s3cr3t');
  });

  it('runs a route against the real database when the configuration is valid', async () => {
    const res = await appWithTestRoutes().request('/test/db', {}, env);
    expect(await res.json()).toEqual([{ one: 1 }]);
  });
});

describe('CORS', () => {
  const allowed = env.CORS_ORIGINS.split(',')[0]!;

  it('answers a preflight from an allowed origin', async () => {
    const res = await worker.fetch(url('/api/v1/health'), {
      method: 'OPTIONS',
      headers: { Origin: allowed, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(allowed);
    expect(res.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
  });

  it('gives a denied origin no Access-Control-Allow-Origin', async () => {
    const res = await worker.fetch(url('/api/v1/health'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('exposes the request id to allowed origins, on errors too', async () => {
    const res = await worker.fetch(url('/api/v1/nope'), { headers: { Origin: allowed } });
    expect(res.status).toBe(404);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(allowed);
    expect(res.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id');
  });

  it('adds no CORS headers to a request without Origin, but still varies on Origin', async () => {
    const res = await worker.fetch(url('/api/v1/health'));
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(res.headers.get('Access-Control-Expose-Headers')).toBeNull();
    expect(res.headers.get('Vary')).toContain('Origin');
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
  });

  it('varies on Origin for allowed origins too, so a shared cache never mixes the two', async () => {
    const res = await worker.fetch(url('/api/v1/health'), { headers: { Origin: allowed } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(allowed);
    expect(res.headers.get('Vary')).toContain('Origin');
  });
});
