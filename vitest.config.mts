import { availableParallelism } from 'os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/temp-root.ts', 'test/support/upstream-notice.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest leaves a core free by default: on CI's 2 cores that is one worker and a third
    // longer run. The test files are CPU-bound and independent, so use every core.
    maxWorkers: availableParallelism(),
    // Test files share no mutable state (no mocks, stubs or env changes), so a worker keeps
    // the modules it imported (cdk8s, the constructs, the schemas) for its next file: importing
    // them again per file was a third of the run.
    isolate: false,
  },
});
