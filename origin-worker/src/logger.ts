// JSON-lines logger, the same shape as the edge's (edge/src/lib/logger.ts):
// `{ time, level, message, ...scope, fields }`. Child loggers carry scope
// (`{ service, workerId, jobId, jobType }`); call-site details go in `fields`. Everything that goes
// out is masked first: secret-looking keys, passwords inside connection strings,
// email addresses and phone numbers, wherever they sit in the fields.
import type { LogLevel } from './config.ts';

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|private[-_]?key|otp|credential|session|email|phone/i;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International or Iranian mobile numbers (+98 912 ..., 0912...), not plain ids or durations.
const PHONE = /(?<![\w.])(?:\+\d{1,3}[\s-]?)?\(?0?9\d{2}\)?[\s-]?\d{3}[\s-]?\d{4}(?![\w.])|\+\d{10,14}(?!\w)/g;

export const REDACTED = '[redacted]';

export function maskString(value: string): string {
  return value.replace(URL_PASSWORD, '$1***@').replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

export function mask(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[truncated]';
  if (value instanceof Error) return mask(serializeError(value), depth + 1);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => mask(v, depth + 1));
  const out: Fields = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : mask(v, depth + 1);
  }
  return out;
}

function serializeError(err: Error): Fields {
  const out: Fields = { name: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.stack) out.stack = err.stack;
  if (err.cause !== undefined) out.cause = err.cause;
  return out;
}

export interface LoggerOptions {
  level: LogLevel;
  fields?: Fields;
  /** Where lines go; stdout by default. Tests pass an array's push. */
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions): Logger {
  const min = RANK[opts.level];
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const make = (scope: Fields): Logger => {
    const log = (level: LogLevel, msg: string, fields?: Fields) => {
      if (RANK[level] < min) return;
      const line: Fields = { time: new Date().toISOString(), level, message: maskString(msg), ...(mask(scope) as Fields) };
      if (fields && Object.keys(fields).length > 0) line.fields = mask(fields);
      write(JSON.stringify(line));
    };
    return {
      debug: (m, f) => log('debug', m, f),
      info: (m, f) => log('info', m, f),
      warn: (m, f) => log('warn', m, f),
      error: (m, f) => log('error', m, f),
      child: (fields) => make({ ...scope, ...fields }),
    };
  };
  return make(opts.fields ?? {});
}
