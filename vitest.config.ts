// One `vitest run` drives everything: the global setup starts the real local
// stack (scripts/stack) on the test ports, then two projects run against it:
// `edge` inside workerd (the production Worker code and clients), `node` for
// the database, the origin worker and the stack's own protocol endpoints.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { stackEnv } from './scripts/stack/ports.ts';

const env = stackEnv('test');

export default defineConfig({
  test: {
    globalSetup: ['./scripts/test/global-setup.ts'],
    // Postgres and the endpoints are shared: a handful of files in parallel is
    // plenty on 2 cores, and every test isolates its own rows.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: env },
          }),
        ],
        test: { name: 'edge', include: ['edge/test/**/*.test.ts'] },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['db/test/**/*.test.ts', 'origin-worker/test/**/*.test.ts', 'scripts/test/**/*.test.ts', 'e2e/**/*.test.ts'],
          env,
        },
      },
    ],
  },
});
