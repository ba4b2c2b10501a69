// The stack's loopback listener: a port already in use must reject (so the
// stack stops what it started) rather than crash the process on 'error'.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, listenLoopback } from '../stack/http-util.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) if (s.listening) await closeServer(s);
});

describe('listenLoopback', () => {
  it('rejects with the port named when the port is taken, and the first server keeps serving', async () => {
    const first = http.createServer((_req, res) => res.end('first'));
    servers.push(first);
    await listenLoopback(first, 0);
    const { port } = first.address() as AddressInfo;
    const second = http.createServer();
    servers.push(second);
    await expect(listenLoopback(second, port)).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('first');
  });
});
