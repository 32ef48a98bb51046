import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'scan-monitor',
    include: ['src/**/*.spec.ts'],
    // The bounds tests feed 50,000 machines through the tracker (~3 s alone); on a shared 2-core
    // machine that can pass the 5 s default.
    testTimeout: 30_000,
  },
});
