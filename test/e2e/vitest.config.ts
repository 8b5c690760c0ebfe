import { defineConfig } from 'vitest/config';

// The end-to-end suite: the web build (npm run build:web) in Debian's Chromium, driven by
// playwright-core. One browser at a time, files in order; not part of `npm test`.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['verbose'],
  },
});
