import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const worker = exports.default;

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing the health routes', async () => {
    const res = await worker.fetch('http://edge.test/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready']));
    expect(doc.paths['/health'].get.responses['200']).toBeDefined();
    expect(doc.paths['/health/ready'].get.responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toContain('VALIDATION_FAILED');
  });
});

describe('GET /api/v1/docs', () => {
  it('serves the interactive reference pointing at the document', async () => {
    const res = await worker.fetch('http://edge.test/api/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('/api/v1/openapi.json');
  });
});
