// Scratch space on local disk. Layout: `<TEMP_DIR>/<workerId>/<jobId>/`.
// Each worker owns its own folder, so several workers can share one TEMP_DIR
// (one volume per host) and still empty theirs at start-up without touching a
// sibling's job in flight.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

export function workerTempRoot(tempDir: string, workerId: string): string {
  return path.join(tempDir, safeSegment(workerId));
}

/** Crash leftovers: whatever a previous life of this worker left behind. */
export async function emptyDir(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  await Promise.all(entries.map((name) => rm(path.join(dir, name), { recursive: true, force: true })));
  return entries.length;
}

export async function createJobTempDir(root: string, jobId: string): Promise<string> {
  const dir = path.join(root, safeSegment(jobId));
  // A retry of the same job on this worker starts from nothing.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

function safeSegment(name: string): string {
  if (!/^[A-Za-z0-9._:-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`not a safe folder name: ${JSON.stringify(name)}`);
  }
  return name;
}
