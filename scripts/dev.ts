// `npm run dev`: the whole system on real components, until Ctrl-C.
//
// The terminal's Ctrl-C signals the whole foreground process group at once;
// Postgres would then stop while the edge and the worker still use it. So the
// real work runs in scripts/dev-supervisor.ts, in a process group of its own,
// and this launcher only forwards Ctrl-C/SIGTERM to it and exits with its code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const supervisor = spawn(process.execPath, [fileURLToPath(new URL('./dev-supervisor.ts', import.meta.url))], {
  detached: true,
  stdio: 'inherit',
});
const forward = () => supervisor.kill('SIGTERM');
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
