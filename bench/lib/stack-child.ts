// Child side of stack-process.ts: the bench stack, fresh, until told to stop.
import { startStack, type Stack } from '../../scripts/stack/start.ts';

const { seed } = JSON.parse(process.argv[2] ?? '{}') as { seed?: boolean };
let stack: Stack | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stack?.stop();
  process.exit(0);
};
process.on('message', (m) => m === 'stop' && void stop());
// The parent went away (crashed or killed): do not leave Postgres behind.
process.on('disconnect', () => void stop());
try {
  stack = await startStack('bench', { fresh: true, seed: seed === true });
  process.send!({ env: stack.env });
} catch (err) {
  process.send!({ error: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
}
