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
  },
});
