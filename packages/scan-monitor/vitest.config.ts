import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'scan-monitor',
    include: ['src/**/*.spec.ts'],
  },
});
