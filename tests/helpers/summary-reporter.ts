/**
 * Prints the run's outcome as one plain line, "N passed, N failed, N skipped", which CI reads
 * whatever the test runner's own summary looks like; above it, the slowest test files, so that a
 * suite creeping towards its time budget shows where the time goes.
 */
import type { Reporter, TestModule } from 'vitest/node';

const slowestShown = 10;

export function slowestFilesLines(modules: ReadonlyArray<{ path: string; seconds: number }>, count = slowestShown): string[] {
  const slowest = [...modules].sort((a, b) => b.seconds - a.seconds).slice(0, count);
  if (slowest.length === 0) return [];
  const width = Math.max(...slowest.map((m) => m.seconds.toFixed(1).length));
  return [`slowest ${slowest.length} test files:`, ...slowest.map((m) => `  ${m.seconds.toFixed(1).padStart(width)} s  ${m.path}`)];
}

/** A file's wall time in its worker: environment, import and collection, then its tests and hooks. */
function moduleSeconds(module: TestModule): number {
  const d = module.diagnostic();
  return (d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration) / 1000;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that fails in its hooks or on import has no failed test of its own: count the file.
      failed += module.state() === 'failed' && failedHere === 0 ? 1 : failedHere;
    }
    failed += unhandledErrors.length;
    const slowest = testModules.length > 1 ? slowestFilesLines(testModules.map((m) => ({ path: m.relativeModuleId, seconds: moduleSeconds(m) }))) : [];
    process.stdout.write(`\n${slowest.map((line) => `${line}\n`).join('')}${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
