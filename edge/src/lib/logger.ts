// JSON-lines logger: {"time","level","message","requestId",...scope,"fields":{...}}.
// One line per call, written with the console method of its level so Workers
// Logs keeps the level; everything passes through redact() first.
import type { LogLevel } from '../env.ts';
import { redact } from './redact.ts';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const WRITE: Record<LogLevel, (line: string) => void> = {
  debug: (l) => console.debug(l),
  info: (l) => console.log(l),
  warn: (l) => console.warn(l),
  error: (l) => console.error(l),
};

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  enabled(level: LogLevel): boolean;
  /** A logger whose lines also carry these scope fields (e.g. { requestId }). */
  with(scope: LogFields): Logger;
}

export function parseLogLevel(value: unknown): LogLevel {
  return typeof value === 'string' && value in RANK ? (value as LogLevel) : 'info';
}

// A class rather than an object of closures: the request logger is made for
// every request, and each closure costs a named function in the deploy bundle
// (esbuild's keepNames), about 2% of a bare /health in a workerd CPU profile.
class JsonLogger implements Logger {
  readonly #min: number;
  constructor(
    private readonly level: LogLevel,
    private readonly scope: LogFields,
  ) {
    this.#min = RANK[level];
  }
  debug(message: string, fields?: LogFields): void {
    this.#log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#log('error', message, fields);
  }
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.#min;
  }
  with(more: LogFields): Logger {
    return new JsonLogger(this.level, { ...this.scope, ...more });
  }
  #log(level: LogLevel, message: string, fields?: LogFields): void {
    if (RANK[level] < this.#min) return;
    const line: LogFields = { time: new Date().toISOString(), level, message, ...this.scope };
    if (fields && Object.keys(fields).length > 0) line.fields = fields;
    WRITE[level](JSON.stringify(redact(line)));
  }
}

export function createLogger(level: LogLevel, scope: LogFields = {}): Logger {
  return new JsonLogger(level, scope);
}
