import { createLogger } from '@ot-mqtt/app-kit';

/** A logger that prints nothing (tests assert on responses, not on log lines). */
export const silent = createLogger({ level: 'error', out: () => undefined, err: () => undefined });

/** A `/readyz` probe that always says ready. */
export const ready = async () => ({
  ready: true,
  broker: { connected: 1, connections: 1 },
  database: { engine: 'sqlite', writable: true, heldMessages: 0, oldestHeldMs: 0 },
});
