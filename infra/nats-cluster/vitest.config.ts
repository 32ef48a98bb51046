import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'cluster',
    include: ['src/**/*.spec.ts'],
    // Three real nats-server processes per test file, JetStream elections after a kill -9 (~5 s)
    // and the built agent and viewer, on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
