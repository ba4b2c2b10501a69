// The one contract between shared SQL and the two runtimes that execute it.
// The edge runs statements over Neon's HTTP driver (one request per statement,
// or one non-interactive transaction per batch); the origin worker runs them on
// a node-postgres pool. SQL functions in db/sql/ build Statements and never
// touch a connection themselves, so both sides share the exact same text.

export interface Statement<Row = Record<string, unknown>> {
  readonly text: string;
  readonly params: readonly unknown[];
  /** Phantom field: carries the row type, never set at run time. */
  readonly __row?: Row;
}

export function sql<Row = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Statement<Row> {
  return { text, params };
}

export interface Db {
  /** Runs one statement and returns its rows. */
  run<Row>(statement: Statement<Row>): Promise<Row[]>;
  /** Runs statements as one transaction; all commit or none do. */
  batch(statements: readonly Statement<any>[]): Promise<unknown[][]>;
}
