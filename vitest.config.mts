import { availableParallelism } from 'os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files that take long for their size (they start Chromium, a nested vitest run or commands
 * in child processes). Vitest orders files by their last durations, or by size when it has none
 * (a fresh clone, as on CI): these came last there, and the run ended on one of them with a
 * core idle. They go first.
 */
const LONG_FOR_THEIR_SIZE = ['template', 'board-page', 'handout', 'run-command', 'cli'].map((name) => `/test/${name}.test.ts`);

class LongForTheirSizeFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (file: TestSpecification) => LONG_FOR_THEIR_SIZE.some((name) => file.moduleId.endsWith(name));
    return [...sorted.filter(long), ...sorted.filter((file) => !long(file))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/temp-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Vitest leaves a core free by default: on CI's 2 cores that is one worker and a third
    // longer run. The test files are CPU-bound and independent, so use every core.
    maxWorkers: availableParallelism(),
    // Test files share no mutable state (no mocks, stubs or env changes), so a worker keeps
    // the modules it imported (cdk8s, the constructs, the schemas) for its next file: importing
    // them again per file was a third of the run.
    isolate: false,
    sequence: { sequencer: LongForTheirSizeFirst },
  },
});
