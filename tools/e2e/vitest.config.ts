import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'e2e',
    include: ['src/**/*.spec.ts'],
    // Real Mosquitto processes and the built apps as child processes, on a shared 2-core machine:
    // deadlines are generous, durations are not (scans every 0.1-0.2 s).
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
