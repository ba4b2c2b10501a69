// The shared SQL contract (db/sql/statement.ts) over Neon's HTTP driver: each
// run() is one HTTPS request and each batch() one non-interactive transaction,
// so nothing holds a socket between (or even during) requests.
import { neon, neonConfig } from '@neondatabase/serverless';
import type { Db, Statement } from '../../../db/sql/statement.ts';
import type { PostgresConfig } from '../env.ts';

export function createDb(config: PostgresConfig): Db {
  configureNeon(config);
  const sql = neon(config.databaseUrl);
  return {
    async run<Row>(statement: Statement<Row>): Promise<Row[]> {
      return (await sql.query(statement.text, [...statement.params])) as Row[];
    },
    async batch(statements: readonly Statement<any>[]): Promise<unknown[][]> {
      if (statements.length === 0) return [];
      return (await sql.transaction(statements.map((s) => sql.query(s.text, [...s.params])))) as unknown[][];
    },
  };
}

// neonConfig is module-global in the driver (fetchEndpoint cannot be set per
// client). That is safe here: the values are the same for every request of a
// deployment, and they are only set locally, where the stack provides an HTTP
// /sql endpoint and a WebSocket relay instead of Neon's proxy. In production
// neither variable exists and the driver's defaults (https://<host>/sql) apply.
function configureNeon(config: PostgresConfig): void {
  if (config.fetchEndpoint) neonConfig.fetchEndpoint = config.fetchEndpoint;
  if (config.wsProxy) {
    neonConfig.wsProxy = config.wsProxy;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}
