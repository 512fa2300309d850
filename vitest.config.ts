import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
    // Property and sweep tests take a few seconds on a fast machine and several on a slow VM
    // (measured: 2–3× slower); a timeout is for hangs, not for speed (speed is in the benchmarks).
    testTimeout: 20_000,
  },
});
