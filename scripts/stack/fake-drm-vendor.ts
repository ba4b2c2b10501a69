// A local stand-in for Axinom DRM's license services
// (https://docs.axinom.com/services/drm/license-service/): Widevine, PlayReady
// and FairPlay each answer POST /AcquireLicense with the CDM's license
// challenge as the body and an `X-AxDRM-Message` header: a JWT (HS256) signed
// with the tenant's communication key, carrying { version: 1, com_key_id,
// message: { type: "entitlement_message", version: 2, content_keys_source:
// { inline: [{ id: <key id> }] } } }. Answers 200 with license bytes (here a
// recognisable stand-in), 401 for a bad or missing token, 400 for an empty
// challenge; keeps the last requests for tests at GET /_requests.
//
// Routes: /widevine/AcquireLicense, /playready/AcquireLicense, /fairplay/AcquireLicense.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { closeServer, listenLoopback, sendJson } from './http-util.ts';

export interface VendorRequest {
  system: string;
  keyIds: string[];
  challengeBytes: number;
}

export interface FakeDrmVendor {
  url: string;
  requests: VendorRequest[];
  close(): Promise<void>;
}

function verifyHs256(token: string, keyBase64: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', Buffer.from(keyBase64, 'base64')).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    if (head.alg !== 'HS256') return undefined;
    return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export async function startFakeDrmVendor(opts: { port: number; comKeyId: string; comKey: string }): Promise<FakeDrmVendor> {
  const requests: VendorRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/_requests') return sendJson(res, 200, { requests: requests.slice(-20) });
    const m = /^\/(widevine|playready|fairplay)\/AcquireLicense$/.exec(url.pathname);
    if (!m) return sendJson(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const claims = verifyHs256(String(req.headers['x-axdrm-message'] ?? ''), opts.comKey);
      const message = claims?.message as { type?: string; content_keys_source?: { inline?: { id?: string }[] } } | undefined;
      const keyIds = (message?.content_keys_source?.inline ?? []).map((k) => k.id).filter((id): id is string => typeof id === 'string');
      if (!claims || claims.version !== 1 || claims.com_key_id !== opts.comKeyId || message?.type !== 'entitlement_message' || keyIds.length === 0) {
        return sendJson(res, 401, { error: 'invalid license token' });
      }
      if (body.length === 0) return sendJson(res, 400, { error: 'empty license challenge' });
      requests.push({ system: m[1]!, keyIds, challengeBytes: body.length });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.from(`LICENSE:${m[1]}:${keyIds.join(',')}`));
    });
  });
  await listenLoopback(server, opts.port);
  return { url: `http://127.0.0.1:${opts.port}`, requests, close: () => closeServer(server) };
}
