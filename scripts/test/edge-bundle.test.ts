// Production workerd refuses to compile WebAssembly from bytes at run time
// (only modules uploaded with the Worker may run), and `wrangler dev` does not
// enforce that. So this checks the real deploy bundle: the Argon2id WASM must
// ship as separate module files imported by the script, and nothing in the
// script may compile WASM from bytes or carry it inlined as base64.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleWorker } from '../../bench/lib/workerd-server.ts';

const outdir = mkdtempSync(path.join(tmpdir(), 'irdnl-bundle-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the edge deploy bundle', () => {
  it('imports the Argon2id WebAssembly as modules and never compiles WASM at run time', async () => {
    const files = await bundleWorker(outdir);
    const wasm = files.filter((f) => f.endsWith('.wasm'));
    expect(wasm.some((f) => f.endsWith('-simd.wasm') && !f.endsWith('no-simd.wasm'))).toBe(true);
    expect(wasm.some((f) => f.endsWith('no-simd.wasm'))).toBe(true);

    const script = readFileSync(path.join(outdir, 'index.js'), 'utf8');
    for (const f of wasm) expect(script).toMatch(new RegExp(`^import \\w+ from "\\./${f.replace('.', '\\.')}";$`, 'm'));
    expect(script).not.toMatch(/WebAssembly\.(compile|compileStreaming|instantiateStreaming|Module)\s*\(/);
    // "\0asm" in base64: a WASM binary inlined as a string (argon2id's own index.js does that).
    expect(script).not.toContain('AGFzbQ');
  }, 90_000);
});
