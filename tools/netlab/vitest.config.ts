import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'netlab',
    include: ['src/**/*.spec.ts'],
    // The scenarios are timed by the issue (a 30 s link cut, 60 s of packet loss at two rates):
    // the file runs for about five minutes by design (README).
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
