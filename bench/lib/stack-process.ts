// The local stack in a child process of its own, for the edge benchmarks:
// the Neon and Upstash endpoints then answer on their own event loop instead
// of sharing one with autocannon, as Neon's proxy and Upstash never share a
// machine with the clients loading them. (Postgres and Redis are separate
// processes either way.) The child starts the stack, sends its env, and stops
// it when told to or when this process goes away.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StartOptions } from '../../scripts/stack/start.ts';

export interface StackProcess {
  env: Record<string, string>;
  stop(): Promise<void>;
}

type FromChild = { env: Record<string, string> } | { error: string };

export async function startStackProcess(opts: Pick<StartOptions, 'seed'>): Promise<StackProcess> {
  const child = fork(fileURLToPath(new URL('./stack-child.ts', import.meta.url)), [JSON.stringify({ seed: opts.seed })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = await new Promise<FromChild>((resolve, reject) => {
    child.once('message', (m) => resolve(m as FromChild));
    child.once('exit', (code) => reject(new Error(`the bench stack exited with ${code} before it was up`)));
  });
  if ('error' in first) {
    await exited;
    throw new Error(`the bench stack failed to start: ${first.error}`);
  }
  return {
    env: first.env,
    async stop() {
      if (child.exitCode === null) child.send('stop');
      await exited;
    },
  };
}
