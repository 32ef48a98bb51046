import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'sparkplug',
    include: ['src/**/*.spec.ts'],
    // The protoc checks spawn a process each; on a shared 2-core machine that can take seconds.
    testTimeout: 30_000,
  },
});
