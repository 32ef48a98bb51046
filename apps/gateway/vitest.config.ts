import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'gateway',
    include: ['src/**/*.spec.ts'],
    // Integration tests spawn the built gateway and real Mosquitto processes on a shared 2-core box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
