import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'mqtt-client',
    include: ['src/**/*.spec.ts'],
    // Integration tests start real Mosquitto processes on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What the specs wait for (a reconnect, a message through a restarted broker) takes seconds here.
    expect: { poll: { timeout: 20_000, interval: 20 } },
  },
});
