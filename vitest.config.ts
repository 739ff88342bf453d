import { defineConfig } from 'vitest/config'

/**
 * Three projects, one per runtime. `node` holds the unit, plugin and end-to-end tests plus the
 * conformance suite in process; `deno` and `workers` run the same conformance suite against
 * a server on that runtime. All share one throwaway PostgreSQL cluster (global setup).
 */
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['core/**/*.test.ts', 'plugins/**/*.test.ts', 'examples/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/conformance/deno.test.ts', 'test/conformance/workers.test.ts', '**/node_modules/**'],
        },
      },
      { extends: true, test: { name: 'deno', include: ['test/conformance/deno.test.ts'] } },
      { extends: true, test: { name: 'workers', include: ['test/conformance/workers.test.ts'] } },
    ],
  },
})
