/**
 * Prints one plain closing line, `vitest: N passed, N failed, N skipped`, after Vitest's own
 * summary: CI tooling that reads closing lines understands it in any language.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (module.state() === 'failed' && module.children.size === 0) counts.failed++;
    }
    const line = `vitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`;
    // Vitest prints its own summary after this hook; on exit ours is the last line.
    process.once('exit', () => process.stdout.write(line));
  }
}
