import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'historian',
    include: ['src/**/*.spec.ts'],
    // Integration tests write real SQLite files and create PostgreSQL databases on a shared 2-core box.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
