import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'tag-model',
    include: ['src/**/*.spec.ts'],
    // The docs check loads Prettier; on a shared 2-core machine that alone can take seconds.
    testTimeout: 30_000,
  },
});
