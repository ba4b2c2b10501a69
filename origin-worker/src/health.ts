// GET /health for the orchestrator: 200 while this worker can take jobs, 503 while
// it is shutting down or cannot reach Postgres (so it gets no traffic and, if it
// stays that way, a restart).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthState {
  workerId: string;
  activeJobs(): number;
  shuttingDown(): boolean;
  /** Resolves false rather than rejecting, within a short bound. */
  databaseReachable(): Promise<boolean>;
}

export interface HealthBody {
  status: 'ok' | 'shutting_down' | 'database_unreachable';
  workerId: string;
  activeJobs: number;
  shuttingDown: boolean;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(port: number, state: HealthState): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/health') return send(res, 404, { error: 'not_found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method_not_allowed' });
    void check(state).then(
      (body) => send(res, body.status === 'ok' ? 200 : 503, body),
      () => send(res, 503, { status: 'database_unreachable', workerId: state.workerId }),
    );
  });
  // Probes are short-lived; do not let an idle keep-alive socket hold shutdown up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function check(state: HealthState): Promise<HealthBody> {
  const base = { workerId: state.workerId, activeJobs: state.activeJobs(), shuttingDown: state.shuttingDown() };
  if (base.shuttingDown) return { status: 'shutting_down', ...base };
  return { status: (await state.databaseReachable()) ? 'ok' : 'database_unreachable', ...base };
}

function send(res: http.ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
