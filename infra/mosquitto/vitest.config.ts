import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@ot-mqtt/source'] },
  ssr: { resolve: { conditions: ['@ot-mqtt/source'] } },
  test: {
    name: 'broker',
    include: ['{src,scripts}/**/*.spec.ts'],
    // Real Mosquitto processes, autosave windows and child apps on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
