// Starts the test stack once per `vitest run` (throwaway data, fresh database)
// and stops every process it started afterwards, even when tests fail.
import { startStack, type Stack } from '../stack/start.ts';

let stack: Stack | undefined;

export async function setup(): Promise<void> {
  const started = Date.now();
  stack = await startStack('test', {
    fresh: true,
    seed: false,
    log: (m) => process.env.STACK_VERBOSE && console.log(`[stack] ${m}`),
  });
  console.log(`[stack] test stack up in ${Date.now() - started} ms`);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
