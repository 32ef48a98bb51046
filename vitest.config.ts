import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One run over every project (each has its own vitest.config.ts beside its package.json).
// The JSON report is what .ci/run reads to print its `N passed, N failed` line.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'infra/*', 'tools/*'],
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    // Integration tests start real Mosquitto processes and child apps: give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most spec files spend their time waiting on what they started (Mosquitto, NATS, the apps as
    // child processes, Chromium, timers), not on this process's CPU. Vitest's default (one worker
    // fewer than the cores) ran the suite one file at a time on the 2-core CI machine (~18 min).
    // One file per core: every spec starts its brokers and apps on free ports, in temporary folders
    // and databases of its own, so files can run side by side. More (`--maxWorkers=4`) was faster
    // still on a quiet machine but is not yet proven free of timeouts for the CPU-bound specs.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
