// Readiness: can this Worker reach everything a request may need? The checks
// run in parallel, each bounded by a short timeout, so a dead dependency costs
// one timeout (not the sum) and the answer names the one that failed.
import { sql } from '../../../db/sql/statement.ts';
import { ApiError } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { Services } from '../lib/services.ts';

export const DEPENDENCIES = ['postgres', 'redis', 'objectStore'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  /** Why it is down; the underlying error goes to the log, not to the caller. */
  reason?: 'timeout' | 'error' | 'misconfigured';
  /** For `misconfigured`: the variables to fix (names, never values). */
  variables?: string[];
}

export interface Readiness {
  ready: boolean;
  checks: Record<Dependency, CheckResult>;
}

const PROBES: Record<Dependency, (s: Services) => Promise<unknown>> = {
  postgres: (s) => s.db.run(sql('SELECT 1 AS ok')),
  redis: (s) => s.redis.ping(),
  objectStore: (s) => s.objectStore.ping(),
};

export async function checkReadiness(services: Services, opts: { timeoutMs: number; logger?: Logger }): Promise<Readiness> {
  const results = await Promise.all(DEPENDENCIES.map((dep) => probe(dep, services, opts)));
  const checks = Object.fromEntries(DEPENDENCIES.map((dep, i) => [dep, results[i]!])) as Record<Dependency, CheckResult>;
  return { ready: results.every((r) => r.status === 'up'), checks };
}

async function probe(dep: Dependency, services: Services, opts: { timeoutMs: number; logger?: Logger }): Promise<CheckResult> {
  const start = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.timeoutMs);
  });
  try {
    // The getter itself may throw (invalid configuration), hence inside try.
    const outcome = await Promise.race([PROBES[dep](services), timeout]);
    const latencyMs = Date.now() - start;
    if (outcome !== 'timeout') return { status: 'up', latencyMs };
    opts.logger?.warn('readiness check timed out', { dependency: dep, timeoutMs: opts.timeoutMs });
    return { status: 'down', latencyMs, reason: 'timeout' };
  } catch (err) {
    const latencyMs = Date.now() - start;
    if (err instanceof ApiError && err.code === 'CONFIG_INVALID') {
      const variables = variablesOf(err);
      opts.logger?.warn('readiness check misconfigured', { dependency: dep, variables });
      return { status: 'down', latencyMs, reason: 'misconfigured', variables };
    }
    opts.logger?.warn('readiness check failed', { dependency: dep, error: err });
    return { status: 'down', latencyMs, reason: 'error' };
  } finally {
    clearTimeout(timer);
  }
}

function variablesOf(err: ApiError): string[] {
  const list = (err.details as { variables?: { variable: string }[] } | undefined)?.variables ?? [];
  return list.map((v) => v.variable);
}
