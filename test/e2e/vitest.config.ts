import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/platform.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // expect.poll gives up after 1 s by default; a refetch after a save can take longer on a loaded
    // CI machine, and a poll that gives up early fails a test for no fault of the code.
    expect: { poll: { timeout: 15_000 } },
  },
});
