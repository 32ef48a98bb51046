import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'dashboard',
    include: ['{src,e2e}/**/*.spec.ts'],
    // The end-to-end files drive a real Chromium against real Mosquitto, agent and gateway
    // processes on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
