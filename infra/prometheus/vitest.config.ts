import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'prometheus',
    include: ['src/**/*.spec.ts'],
    // The end-to-end test runs a real Prometheus, Mosquitto and the built apps, and waits for an
    // alert's `for:` (30 s) to pass: see monitoring.e2e.spec.ts.
    testTimeout: 180_000,
    hookTimeout: 90_000,
  },
});
