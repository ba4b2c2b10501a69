// A minimal RESP2 client for the local Upstash endpoint. It keeps raw bytes
// (Buffers) so the endpoint can answer with Upstash's base64 encoding exactly,
// and it writes a whole pipeline or MULTI/EXEC block in one socket write, so
// commands of concurrent HTTP requests never interleave inside a transaction.
import net from 'node:net';

export type RespValue = Buffer | string | number | null | RespError | RespValue[];

export class RespError extends Error {}

interface Pending {
  resolve: (v: RespValue) => void;
}

export class RespConnection {
  private socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending[] = [];
  private closedError: Error | null = null;
  readonly ready: Promise<void>;

  constructor(port: number, host = '127.0.0.1') {
    this.socket = net.connect({ port, host });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error('redis connection closed')));
  }

  get alive(): boolean {
    return this.closedError === null;
  }

  /** Sends commands in one write; resolves with one reply per command, errors included as RespError values. */
  send(commands: readonly (readonly (string | Buffer)[])[]): Promise<RespValue[]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const parts: Buffer[] = [];
    const replies = commands.map(
      () => new Promise<RespValue>((resolve) => this.pending.push({ resolve })),
    );
    for (const args of commands) parts.push(encodeCommand(args));
    this.socket.write(Buffer.concat(parts));
    return Promise.all(replies);
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    for (const p of this.pending.splice(0)) p.resolve(new RespError(err.message));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const parsed = parseReply(this.buffer, 0);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.next);
      this.pending.shift()?.resolve(parsed.value);
    }
  }
}

function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const b = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one reply starting at `offset`; null when the buffer holds only part of it. */
function parseReply(buf: Buffer, offset: number): { value: RespValue; next: number } | null {
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buf[offset]!);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new RespError(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: after };
      if (buf.length < after + len + 2) return null;
      return { value: buf.subarray(after, after + len), next: after + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let pos = after;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, pos);
        if (!item) return null;
        items.push(item.value);
        pos = item.next;
      }
      return { value: items, next: pos };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}
