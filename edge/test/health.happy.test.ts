import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const worker = exports.default;

describe('GET /health', () => {
  it('answers ok without touching a dependency, at the root and under /api/v1', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const res = await worker.fetch(`http://edge.test${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"status":"ok"}');
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('keeps a sane inbound X-Request-Id and replaces an unsafe one', async () => {
    const kept = await worker.fetch('http://edge.test/health', { headers: { 'X-Request-Id': 'trace-abc.123' } });
    expect(kept.headers.get('X-Request-Id')).toBe('trace-abc.123');
    const replaced = await worker.fetch('http://edge.test/health', { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /health/ready', () => {
  it('answers 200 when Postgres, Redis and the object store are up', async () => {
    const res = await worker.fetch('http://edge.test/health/ready');
    const body = (await res.json()) as { status: string; checks: Record<string, { status: string; latencyMs: number }> };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.checks).sort()).toEqual(['objectStore', 'postgres', 'redis']);
    for (const check of Object.values(body.checks)) expect(check.status).toBe('up');
  });

  it('is also served under /api/v1', async () => {
    const res = await worker.fetch('http://edge.test/api/v1/health/ready');
    expect(res.status).toBe(200);
  });
});
