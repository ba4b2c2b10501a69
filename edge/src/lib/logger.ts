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

export function createLogger(level: LogLevel, scope: LogFields = {}): Logger {
  const min = RANK[level];
  const log = (lvl: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[lvl] < min) return;
    const line: LogFields = { time: new Date().toISOString(), level: lvl, message, ...scope };
    if (fields && Object.keys(fields).length > 0) line.fields = fields;
    WRITE[lvl](JSON.stringify(redact(line)));
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    enabled: (lvl) => RANK[lvl] >= min,
    with: (more) => createLogger(level, { ...scope, ...more }),
  };
}
