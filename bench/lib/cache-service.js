// The colo cache behind `caches.default`, for benchmarks on plain workerd
// (workerd-server.ts): workerd turns cache.match/put/delete into HTTP requests
// to the Worker's cacheApiOutbound service, the protocol Miniflare's cache
// speaks too:
//   GET <key>    the stored response with CF-Cache-Status: HIT (honouring a
//                Range header), or 504 with CF-Cache-Status: MISS;
//   PUT <key>    the response to store, serialised as an HTTP/1.1 message;
//                204 when stored, 413 when not cacheable (no-store, private,
//                Set-Cookie, no lifetime);
//   PURGE <key>  200 when something was removed, 404 otherwise.
// Entries live in this isolate's memory until their max-age / s-maxage:
// a single isolate, the one process the benchmark runs.
const entries = new Map();
const MAX_ENTRIES = 10_000;

const miss = () => new Response(null, { status: 504, headers: { 'CF-Cache-Status': 'MISS' } });

function lifetimeSeconds(headers) {
  const cc = (headers.get('Cache-Control') ?? '').toLowerCase();
  if (/\b(no-store|private)\b/.test(cc) || headers.has('Set-Cookie')) return 0;
  const m = /\bs-maxage=(\d+)/.exec(cc) ?? /\bmax-age=(\d+)/.exec(cc);
  return m ? Number(m[1]) : 0;
}

function parseMessage(bytes) {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('cache PUT: no end of headers');
  const [statusLine, ...lines] = new TextDecoder().decode(bytes.subarray(0, end)).split('\r\n');
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1]);
  if (!status) throw new Error(`cache PUT: bad status line ${statusLine}`);
  const headers = new Headers();
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers.append(line.slice(0, i), line.slice(i + 1).trim());
  }
  return { status, headers, body: bytes.slice(end + 4) };
}

function ranged(entry, range) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  const size = entry.body.byteLength;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start > end || start >= size) {
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}`, 'CF-Cache-Status': 'HIT' } });
  }
  const headers = new Headers(entry.headers);
  headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  headers.set('Content-Length', String(end - start + 1));
  headers.set('CF-Cache-Status', 'HIT');
  return new Response(entry.body.slice(start, end + 1), { status: 206, headers });
}

export default {
  async fetch(request) {
    const key = request.url;
    if (request.method === 'GET') {
      const entry = entries.get(key);
      if (!entry) return miss();
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return miss();
      }
      const range = request.headers.get('Range');
      const partial = range ? ranged(entry, range) : null;
      if (partial) return partial;
      const headers = new Headers(entry.headers);
      headers.set('CF-Cache-Status', 'HIT');
      return new Response(entry.body, { status: entry.status, headers });
    }
    if (request.method === 'PUT') {
      const message = parseMessage(new Uint8Array(await request.arrayBuffer()));
      const seconds = lifetimeSeconds(message.headers);
      if (seconds <= 0) return new Response(null, { status: 413 });
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value);
      entries.set(key, { ...message, expiresAt: Date.now() + seconds * 1000 });
      return new Response(null, { status: 204 });
    }
    if (request.method === 'PURGE') return new Response(null, { status: entries.delete(key) ? 200 : 404 });
    return new Response(null, { status: 405 });
  },
};
