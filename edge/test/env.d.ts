// Types the test bindings (`env` from cloudflare:workers) and
// `exports.default` as the Worker's own.
declare namespace Cloudflare {
  type WorkerEnv = import('../src/env.ts').Env;
  interface Env extends WorkerEnv {}
  interface GlobalProps {
    mainModule: typeof import('../src/index.ts');
  }
}
