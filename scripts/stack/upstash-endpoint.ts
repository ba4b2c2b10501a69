// A local endpoint that speaks Upstash Redis's REST protocol in front of a real
// redis-server, so the edge runs @upstash/redis and @upstash/ratelimit unchanged.
// Protocol (read from the client): POST / with a JSON command array, POST
// /pipeline and /multi-exec with arrays of commands, `Authorization: Bearer`,
// and with `Upstash-Encoding: base64` every string in a reply is base64.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { RespConnection, RespError, type RespValue } from './resp-client.ts';
import { readJsonBody, sendJson, closeServer, listenLoopback } from './http-util.ts';

const POOL_SIZE = 4;

export interface UpstashEndpoint {
  url: string;
  close(): Promise<void>;
}

export async function startUpstashEndpoint(opts: { port: number; redisPort: number; token: string }): Promise<UpstashEndpoint> {
  const pool = new ConnectionPool(opts.redisPort);
  const scripts = new ScriptMap();

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'only POST is supported' });
      if (req.headers.authorization !== `Bearer ${opts.token}`) return sendJson(res, 401, { error: 'Unauthorized' });
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
      const body = await readJsonBody(req);
      const path = (req.url ?? '/').split('?')[0];
      const encode = (v: RespValue) => toJson(v, base64);

      if (path === '/' || path === '') {
        const command = scripts.rewrite(toArgs(body));
        const [reply] = await pool.next().send([command]);
        if (reply instanceof RespError) return sendJson(res, 400, { error: reply.message });
        return sendJson(res, 200, { result: encode(scripts.mapReply(command, reply!)) });
      }
      if (path === '/pipeline' || path === '/multi-exec') {
        if (!Array.isArray(body)) return sendJson(res, 400, { error: 'body must be an array of commands' });
        const commands = body.map((c) => scripts.rewrite(toArgs(c)));
        if (path === '/pipeline') {
          const replies = await pool.next().send(commands);
          return sendJson(res, 200, replies.map((r, i) => wrap(scripts.mapReply(commands[i]!, r), encode)));
        }
        const replies = await pool.next().send([['MULTI'], ...commands, ['EXEC']]);
        const exec = replies[replies.length - 1];
        const queued = replies.slice(1, -1).find((r) => r instanceof RespError);
        if (queued instanceof RespError) return sendJson(res, 400, { error: queued.message });
        if (exec instanceof RespError) return sendJson(res, 400, { error: exec.message });
        if (!Array.isArray(exec)) return sendJson(res, 400, { error: 'EXECABORT transaction discarded' });
        return sendJson(res, 200, exec.map((r, i) => wrap(scripts.mapReply(commands[i]!, r), encode)));
      }
      return sendJson(res, 404, { error: `unknown path ${path}` });
    } catch (err) {
      sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
    }
  });
  await listenLoopback(server, opts.port);
  return {
    url: `http://127.0.0.1:${opts.port}`,
    close: async () => {
      pool.close();
      await closeServer(server);
    },
  };
}

function wrap(reply: RespValue, encode: (v: RespValue) => unknown): { result?: unknown; error?: string } {
  return reply instanceof RespError ? { error: reply.message } : { result: encode(reply) };
}

function toArgs(command: unknown): string[] {
  if (!Array.isArray(command) || command.length === 0) throw new Error('a command is a non-empty JSON array');
  return command.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
}

function toJson(v: RespValue, base64: boolean): unknown {
  if (v === null || typeof v === 'number') return v;
  if (v instanceof RespError) return v.message;
  if (Array.isArray(v)) return v.map((x) => toJson(x, base64));
  const buf = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return base64 ? buf.toString('base64') : buf.toString('utf8');
}

class ConnectionPool {
  private conns: RespConnection[] = [];
  private i = 0;
  private readonly port: number;
  constructor(port: number) {
    this.port = port;
  }
  next(): RespConnection {
    this.i = (this.i + 1) % POOL_SIZE;
    let c = this.conns[this.i];
    if (!c || !c.alive) {
      c = new RespConnection(this.port);
      c.ready.catch(() => undefined);
      this.conns[this.i] = c;
    }
    return c;
  }
  close(): void {
    for (const c of this.conns) c?.close();
  }
}

/**
 * @upstash/ratelimit's scripts start with `#!lua flags=allow-key-locking`, a flag
 * only Upstash accepts; real Redis refuses the script. We drop that flag and
 * remember which sha1 the client knows the script by, so EVALSHA keeps working.
 */
class ScriptMap {
  private clientToServer = new Map<string, string>();

  rewrite(args: string[]): string[] {
    const name = args[0]!.toUpperCase();
    if ((name === 'EVAL' || name === 'EVAL_RO') && args[1]) {
      return [args[0]!, this.learn(args[1]), ...args.slice(2)];
    }
    if (name === 'SCRIPT' && args[1]?.toUpperCase() === 'LOAD' && args[2]) {
      return [args[0]!, args[1]!, this.learn(args[2])];
    }
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && args[1]) {
      return [args[0]!, this.clientToServer.get(args[1].toLowerCase()) ?? args[1], ...args.slice(2)];
    }
    if (name === 'SCRIPT' && args[1]?.toUpperCase() === 'EXISTS') {
      return [args[0]!, args[1]!, ...args.slice(2).map((s) => this.clientToServer.get(s.toLowerCase()) ?? s)];
    }
    return args;
  }

  /** SCRIPT LOAD answers the sha1 the client computed itself, not the rewritten one. */
  mapReply(args: string[], reply: RespValue): RespValue {
    if (args[0]!.toUpperCase() !== 'SCRIPT' || args[1]?.toUpperCase() !== 'LOAD') return reply;
    const serverSha = Buffer.isBuffer(reply) ? reply.toString() : String(reply);
    for (const [client, server] of this.clientToServer) if (server === serverSha) return client;
    return reply;
  }

  private learn(script: string): string {
    const fixed = stripUnsupportedFlags(script);
    if (fixed !== script) this.clientToServer.set(sha1(script), sha1(fixed));
    return fixed;
  }
}

function stripUnsupportedFlags(script: string): string {
  if (!script.startsWith('#!lua')) return script;
  const nl = script.indexOf('\n');
  const shebang = nl < 0 ? script : script.slice(0, nl);
  const rest = nl < 0 ? '' : script.slice(nl);
  const flags = /flags=([^\s]*)/.exec(shebang)?.[1]?.split(',').filter((f) => f && f !== 'allow-key-locking') ?? [];
  // Without flags the shebang line goes entirely (Redis then runs it as a classic script).
  return (flags.length ? `#!lua flags=${flags.join(',')}` : '') + rest;
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}
