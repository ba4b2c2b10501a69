// Lets a module be both imported (tests, the dev stack) and run as a CLI
// (`node db/migrate.ts`). Resolves symlinks on both sides so a linked checkout
// still matches.
import { realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with. */
export async function isMain(moduleUrl: string): Promise<boolean> {
  const entry = process.argv[1];
  if (!entry) return false;
  const [self, started] = await Promise.all([realpath(fileURLToPath(moduleUrl)), realpath(entry).catch(() => entry)]);
  return self === started;
}
