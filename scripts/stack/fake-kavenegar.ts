// A local stand-in for Kavenegar's SMS HTTP API (https://kavenegar.com/rest.html),
// shaped like the real one so the edge's sender runs unchanged:
//   POST /v1/{API-KEY}/verify/lookup.json  form: receptor, token, template[, token2, token3, type]
//   POST /v1/{API-KEY}/sms/send.json       form: receptor, message[, sender]
// Answers { return: { status, message }, entries } with the HTTP status equal to
// return.status, as Kavenegar does: 200 sent, 400 missing parameters, 403 bad
// API key, 411 invalid receptor, 404 unknown method.
//
// Dev/test only: GET /_outbox?to=<receptor> lists the last messages to it.
import http from 'node:http';
import { sendJson, closeServer, listenLoopback } from './http-util.ts';
import { Outbox } from './outbox.ts';

export interface FakeKavenegar {
  url: string;
  outbox: Outbox;
  close(): Promise<void>;
}

// Kavenegar accepts Iranian mobiles as 09xxxxxxxxx, 989xxxxxxxxx or +989xxxxxxxxx,
// and international numbers with 00 or +.
const RECEPTOR = /^(?:09\d{9}|\+?989\d{9}|(?:\+|00)[1-9]\d{7,14})$/;

export async function startFakeKavenegar(opts: { port: number; apiKey: string }): Promise<FakeKavenegar> {
  const outbox = new Outbox();
  let nextId = 100_000_000;

  const answer = (res: http.ServerResponse, status: number, message: string, entries: unknown = null) =>
    sendJson(res, status, { return: { status, message }, entries });

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/_outbox') {
        const to = normalizeReceptor(url.searchParams.get('to') ?? '');
        return sendJson(res, 200, { messages: outbox.last(to, Number(url.searchParams.get('limit') ?? 5)) });
      }
      const match = /^\/v1\/([^/]+)\/(sms\/send|verify\/lookup)\.json$/.exec(url.pathname);
      if (!match) return answer(res, 404, 'متد مورد نظر وجود ندارد (unknown method)');
      if (req.method !== 'POST' && req.method !== 'GET') return answer(res, 405, 'method not allowed');
      if (decodeURIComponent(match[1]!) !== opts.apiKey) return answer(res, 403, 'کد شناسائی API-Key معتبر نمی‌باشد (invalid API key)');

      // Like the real API: query string or form body, both read.
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST') {
        const type = String(req.headers['content-type'] ?? '');
        if (!type.startsWith('application/x-www-form-urlencoded')) return answer(res, 400, 'پارامترها ناقص هستند (expected a form body)');
        for (const [k, v] of new URLSearchParams(await readText(req))) params.set(k, v);
      }
      const receptor = params.get('receptor') ?? '';
      if (match[2] === 'verify/lookup') {
        const token = params.get('token') ?? '';
        const template = params.get('template') ?? '';
        if (!receptor || !token || !template) return answer(res, 400, 'پارامترها ناقص هستند (receptor, token and template are required)');
        if (!RECEPTOR.test(receptor)) return answer(res, 411, 'دریافت کننده نامعتبر است (invalid receptor)');
        // The real lookup rejects tokens with spaces; the template supplies the text.
        if (/\s/.test(token) || token.length > 100) return answer(res, 431, 'ساختار کد صحیح نمی‌باشد (invalid token)');
        const to = normalizeReceptor(receptor);
        outbox.add({ to, token, template, body: `[${template}] ${token}` });
        return answer(res, 200, 'تایید شد', [entry(nextId++, to, `[${template}] ${token}`)]);
      }
      const message = params.get('message') ?? '';
      if (!receptor || !message) return answer(res, 400, 'پارامترها ناقص هستند (receptor and message are required)');
      const receptors = receptor.split(',');
      if (!receptors.every((r) => RECEPTOR.test(r))) return answer(res, 411, 'دریافت کننده نامعتبر است (invalid receptor)');
      const entries = receptors.map((r) => {
        const to = normalizeReceptor(r);
        outbox.add({ to, body: message });
        return entry(nextId++, to, message);
      });
      return answer(res, 200, 'تایید شد', entries);
    } catch (err) {
      answer(res, 500, err instanceof Error ? err.message : String(err));
    }
  });
  await listenLoopback(server, opts.port);
  return {
    url: `http://127.0.0.1:${opts.port}`,
    outbox,
    close: async () => {
      await closeServer(server);
    },
  };
}

function entry(messageid: number, receptor: string, message: string) {
  return { messageid, message, status: 1, statustext: 'در صف ارسال', sender: '10004346', receptor, date: Math.floor(Date.now() / 1000), cost: 0 };
}

/** One key per phone in the outbox, whichever of Kavenegar's accepted forms was sent. */
export function normalizeReceptor(r: string): string {
  const s = r.trim();
  if (/^09\d{9}$/.test(s)) return `+98${s.slice(1)}`;
  if (/^989\d{9}$/.test(s)) return `+${s}`;
  if (s.startsWith('00')) return `+${s.slice(2)}`;
  return s;
}

async function readText(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
