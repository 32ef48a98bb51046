import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'packaging',
    include: ['src/**/*.spec.ts'],
    // npm pack/install, publint, attw, tsc and typedoc are whole programs, on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
