// A local endpoint that speaks Neon's serverless protocols in front of a real
// PostgreSQL, so the edge runs @neondatabase/serverless unchanged:
// - HTTP: POST /sql (what `neon()` and `transaction()` call, selected with
//   neonConfig.fetchEndpoint). Headers and shapes were read from the driver.
// - WebSocket: /v2?address=host:port, a byte relay to Postgres's TCP port (what
//   Pool/Client use with neonConfig.wsProxy).
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { readJsonBody, sendJson, closeServer, listenLoopback } from './http-util.ts';

interface QueryBody {
  query: string;
  params?: (string | null)[];
}

// Every value stays Postgres's text form: the driver parses types itself.
const rawText = { getTypeParser: () => (value: string) => value };

const ERROR_FIELDS = [
  'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery',
  'where', 'schema', 'table', 'column', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

const ISOLATION: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

export interface NeonEndpoint {
  fetchEndpoint: string;
  wsProxy: string;
  close(): Promise<void>;
}

export async function startNeonEndpoint(opts: { port: number }): Promise<NeonEndpoint> {
  const pools = new Map<string, pg.Pool>();
  const poolFor = (connectionString: string): pg.Pool => {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5_000 });
      pool.on('error', () => undefined); // an idle client dying is not a request failure
      pools.set(connectionString, pool);
    }
    return pool;
  };

  const server = http.createServer(async (req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/sql') {
      return sendJson(res, 404, { message: 'not found' });
    }
    const connectionString = req.headers['neon-connection-string'];
    if (typeof connectionString !== 'string') return sendJson(res, 400, { message: 'missing Neon-Connection-String' });
    try {
      const body = (await readJsonBody(req)) as QueryBody | { queries: QueryBody[] };
      const pool = poolFor(connectionString);
      if ('queries' in body) {
        const results = await runBatch(pool, body.queries, req.headers);
        return sendJson(res, 200, { results });
      }
      const result = await pool.query({ text: body.query, values: body.params ?? [], rowMode: 'array', types: rawText });
      sendJson(res, 200, toNeonResult(result));
    } catch (err) {
      sendJson(res, 400, toNeonError(err));
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const address = url.searchParams.get('address');
    if (url.pathname !== '/v2' || !address) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => relay(ws, address));
  });

  await listenLoopback(server, opts.port);
  return {
    fetchEndpoint: `http://127.0.0.1:${opts.port}/sql`,
    wsProxy: `127.0.0.1:${opts.port}/v2`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await closeServer(server);
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}

/** A batch is one transaction, with the isolation options the driver sent as headers. */
async function runBatch(pool: pg.Pool, queries: QueryBody[], headers: http.IncomingHttpHeaders) {
  const modes: string[] = [];
  const isolation = ISOLATION[String(headers['neon-batch-isolation-level'] ?? '')];
  if (isolation) modes.push(`ISOLATION LEVEL ${isolation}`);
  if (headers['neon-batch-read-only'] === 'true') modes.push('READ ONLY');
  if (headers['neon-batch-deferrable'] === 'true') modes.push('DEFERRABLE');
  const client = await pool.connect();
  try {
    await client.query(`BEGIN ${modes.join(' ')}`);
    const results = [];
    for (const q of queries) {
      const r = await client.query({ text: q.query, values: q.params ?? [], rowMode: 'array', types: rawText });
      results.push(toNeonResult(r));
    }
    await client.query('COMMIT');
    return results;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function toNeonResult(result: pg.QueryResult) {
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows: result.rows,
    rowAsArray: true,
    fields: result.fields.map((f) => ({
      name: f.name,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeID: f.dataTypeID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: 'text',
    })),
  };
}

function toNeonError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { message: err.message || String((err as NodeJS.ErrnoException).code ?? 'error') };
  for (const field of ERROR_FIELDS) {
    const v = (err as unknown as Record<string, unknown>)[field];
    if (v !== undefined) out[field] = v;
  }
  // A connection failure (no SQLSTATE) is reported the way Neon reports it.
  if (!out.code && (err as NodeJS.ErrnoException).code) out.message = `Error connecting to database: ${out.message}`;
  return out;
}

function relay(ws: import('ws').WebSocket, address: string): void {
  const [host, port] = splitAddress(address);
  const tcp = net.connect({ host, port });
  const stream = createWebSocketStream(ws);
  tcp.on('error', () => stream.destroy());
  stream.on('error', () => tcp.destroy());
  stream.pipe(tcp).pipe(stream);
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return i < 0 ? [address, 5432] : [address.slice(0, i), Number(address.slice(i + 1)) || 5432];
}
