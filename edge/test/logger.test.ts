// Log lines are JSON, one per request, and never carry secrets or personal data.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.ts';
import { redact } from '../src/lib/redact.ts';
import { envWith } from './helpers.ts';

afterEach(() => vi.restoreAllMocks());

describe('redact', () => {
  it('masks secrets by key and by shape, in any field', () => {
    const out = redact({
      password: 'hunter2',
      headers: { authorization: 'Bearer abc.def', 'x-api-key': 'k' },
      url: 'postgres://irdnl:s3cr3t@db.internal:5432/irdnl',
      note: 'mail ali.rezaei@example.ir or call +98 912 345 6789 / 09123456789',
      link: '/reset?token=abcdef&lang=fa',
      auth: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      nested: [{ otp: '123456' }],
    });
    const text = JSON.stringify(out);
    for (const secret of ['hunter2', 'abc.def', 's3cr3t', 'ali.rezaei', '912 345', '09123456789', 'abcdef', 'eyJhbGci', '123456']) {
      expect(text).not.toContain(secret);
    }
    expect(out).toMatchObject({ url: 'postgres://irdnl:[REDACTED]@db.internal:5432/irdnl', link: '/reset?token=[REDACTED]&lang=fa' });
  });

  it('masks the media token in playback paths, keeping the rest of the path', () => {
    const path = '/media/local-media-a.eyJhIjoiNmE2Y.Mh9SHxZTBqPmO3POqgViezjGCZa4NKoeRiciM6u-794/6a6cab74-7d0d-4332-aebd-ff95dd678924/video/720p/seg-00001.m4s';
    expect(redact({ path })).toEqual({ path: '/media/[REDACTED]/6a6cab74-7d0d-4332-aebd-ff95dd678924/video/720p/seg-00001.m4s' });
  });

  it('keeps request ids, durations and paths readable', () => {
    const fields = { requestId: '123e4567-e89b-12d3-a456-426614174000', durationMs: 12, path: '/api/v1/videos/42', code: 'NOT_FOUND' };
    expect(redact(fields)).toEqual(fields);
  });
});

describe('request log', () => {
  it('writes one JSON line per request with method, path, status, duration and request id', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const res = await createApp().request('/health', { headers: { 'X-Request-Id': 'log-test-1' } }, envWith({ LOG_LEVEL: 'info' }));
    expect(res.status).toBe(200);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', message: 'request', requestId: 'log-test-1', fields: { method: 'GET', path: '/health', status: 200 } });
    expect(typeof line.fields.durationMs).toBe('number');
    expect(Date.parse(line.time)).not.toBeNaN();
  });

  it('masks personal data in the logged path', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    await createApp().request('/users/ali@example.ir', {}, envWith({ LOG_LEVEL: 'info' }));
    expect(lines.join('\n')).not.toContain('ali@example.ir');
    expect(JSON.parse(lines[0]!).fields.path).toBe('/users/[EMAIL]');
  });
});
