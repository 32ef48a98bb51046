import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'broker-exporter',
    include: ['src/**/*.spec.ts'],
    // The integration tests spawn the built agent and real Mosquitto processes on a shared 2-core
    // machine: deadlines are generous, and every wait inside ends as soon as its condition holds.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
