import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@ot-mqtt/app-kit';
import { openHistorian, type HistorianStore } from '@ot-mqtt/historian';
import type { ServerDeps } from './create-server.js';

/** A logger that prints nothing (tests assert on responses, not on log lines). */
export const silent = createLogger({ level: 'error', out: () => undefined, err: () => undefined });

/** A `/readyz` probe that always says ready. */
export const ready = async () => ({
  ready: true,
  broker: { connected: 1, connections: 1 },
  database: { engine: 'sqlite', writable: true, heldMessages: 0, oldestHeldMs: 0 },
});

/** A SQLite historian in a temporary folder of its own. */
export interface TestHistorian {
  readonly dir: string;
  readonly store: HistorianStore;
}

/** Opens a {@link TestHistorian} (`prefix` names the folder, for a leftover one). */
export async function openTestHistorian(
  prefix: string,
  options?: Parameters<typeof openHistorian>[1],
): Promise<TestHistorian> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, store: await openHistorian(join(dir, 'h.sqlite'), options) };
}

/** Closes the servers built on a {@link TestHistorian}, then the store, and removes its folder. */
export async function closeTestHistorian(
  history: Partial<TestHistorian>,
  ...servers: ({ close(): Promise<unknown> } | undefined)[]
): Promise<void> {
  for (const server of servers) await server?.close();
  await history.store?.close();
  if (history.dir !== undefined) rmSync(history.dir, { recursive: true, force: true });
}

/**
 * `createServer`'s dependencies for a spec of its routes: the historian's store, a silent log,
 * always ready, no token, the default topic root, no dashboard build; override what the spec tests.
 */
export const serverDeps = (history: TestHistorian): ServerDeps => ({
  store: history.store,
  log: silent,
  ready,
  token: undefined,
  topicRoot: 'plc/bottlefiller',
  dashboardMqttUrl: undefined,
  dashboardDir: join(history.dir, 'none'),
});
