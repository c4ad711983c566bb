import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    // Each file gets its own process: SoftHSM reads SOFTHSM2_CONF once per process.
    pool: 'forks',
    // Vitest's default in run mode is one fork fewer than the cores: a single fork on our 2-core machines.
    // The files spend most of their time waiting on child processes (CA, web mode, Chromium, pkcs11-tool),
    // so two forks there measured 725 s against 943 s for the whole suite, all passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
  },
});
