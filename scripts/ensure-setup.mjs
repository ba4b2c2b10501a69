#!/usr/bin/env node
// First step of `npm run dev`, `npm test` and `npm run bench` on any machine:
// installs what is missing, so a fresh clone needs nothing but these commands.
// Plain JavaScript on purpose: it runs on whatever `node` the machine has (Debian
// ships Node 20), and installs the project's Node 22 (the `node` npm package)
// that everything after it runs on.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'node_modules', '.irdnl-install-stamp');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
}

function fail(sentence) {
  console.error(`\n${sentence}\n`);
  process.exit(1);
}

// 1. npm dependencies, reinstalled whenever package.json or the lockfile changed.
const inputs = () =>
  createHash('sha256')
    .update(readFileSync(path.join(root, 'package.json')))
    .update(existsSync(path.join(root, 'package-lock.json')) ? readFileSync(path.join(root, 'package-lock.json')) : '')
    .digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
if (have !== inputs() || !existsSync(path.join(root, 'node_modules', '.bin', 'node'))) {
  console.log('[setup] installing npm dependencies (npm install)...');
  // `npm ci` refuses lockfiles made on a registry that lacks some platform
  // builds; `npm install` from the same lockfile installs the same versions.
  if (!run('npm', ['install', '--no-audit', '--no-fund'])) fail('npm install failed: see the messages above.');
  // Hashed after the install: npm may rewrite the lockfile (entries for other
  // platforms' builds), and a stamp of the old bytes would reinstall every run.
  writeFileSync(stamp, inputs());
}

// 2. Node 22 from the `node` package (wrangler and vitest refuse Node 20).
const node22 = path.join(root, 'node_modules', '.bin', 'node');
const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
if (!/^v(2[2-9]|[3-9]\d)\./.test(version)) {
  fail(`Node 22 or newer is needed but node_modules/.bin/node is "${version || 'missing'}": delete node_modules and run the command again.`);
}

// 3. OS programs: redis-server (every command), and Chromium for `npm test`'s
// browser test of the demo player (Playwright's own browser download does not
// work here; Debian's chromium does).
const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
function ensureOsPackage(program, aptPackage, howTo) {
  if (has(program)) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && has('apt-get')) {
    console.log(`[setup] installing ${aptPackage} with apt-get...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!run('apt-get', ['install', '-y', '--no-install-recommends', aptPackage], { env })) {
      run('apt-get', ['update'], { env });
      run('apt-get', ['install', '-y', '--no-install-recommends', aptPackage], { env });
    }
  }
  if (!has(program)) fail(`${program} is missing: ${howTo}, then run the command again.`);
}
ensureOsPackage('redis-server', 'redis-server', 'install it with `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)');
if (process.argv.includes('--browser')) {
  ensureOsPackage('chromium', 'chromium', 'install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary');
}
