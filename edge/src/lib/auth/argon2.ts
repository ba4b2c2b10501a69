// Argon2id from the argon2id package's WebAssembly, imported at build time.
//
// The .wasm files are imported as modules: wrangler compiles them when it
// bundles the Worker, so nothing here calls WebAssembly.compile() on bytes at
// run time (production workerd forbids that; `wrangler dev` does not enforce
// it, hence the bundle test in edge/test/password.test.ts).
import setupWasm, { type computeHash } from 'argon2id/lib/setup.js';
import noSimdModule from 'argon2id/dist/no-simd.wasm';
import simdModule from 'argon2id/dist/simd.wasm';

export { simdModule, noSimdModule };

// One instance per isolate, created on first use. Safe as module state: the
// instance holds no request data and no I/O object (its memory is scratch
// space the library clears after every hash), and a hash is synchronous, so
// two requests of the isolate can never interleave inside it. Creating it per
// request would instead allocate a fresh 65 MB WebAssembly.Memory each time.
let ready: Promise<computeHash> | undefined;

export function loadArgon2id(): Promise<computeHash> {
  ready ??= setupWasm(
    async (imports) => ({ module: simdModule, instance: await WebAssembly.instantiate(simdModule, imports) }),
    async (imports) => ({ module: noSimdModule, instance: await WebAssembly.instantiate(noSimdModule, imports) }),
  ).catch((err: unknown) => {
    ready = undefined; // let the next request try again
    throw err;
  });
  return ready;
}
