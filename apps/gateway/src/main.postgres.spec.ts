import { describe, expect } from 'vitest';
import { brokerTest as it } from '@ot-mqtt/broker/testing';
import {
  createPublisher,
  getJson,
  startGatewayProcess,
  storedSequences,
  untilStored,
  waitFor,
  waitReady,
} from './gateway-process.test-helper.js';
import { clusterUnavailable, startCluster } from './postgres-cluster.test-helper.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const why = clusterUnavailable();
if (why) console.warn(`gateway PostgreSQL restart test skipped: ${why}`);

interface Ready {
  ready: boolean;
  database: { writable: boolean; heldMessages: number; error?: string };
}

// ~30 s: initdb of a throwaway cluster (the machine's PostgreSQL is never stopped) plus a restart.
describe.skipIf(why !== undefined)('gateway on PostgreSQL', () => {
  it('database down: holds the acknowledgements back and reports it; back up: every scan stored exactly once', async ({
    broker,
  }) => {
    const db = await startCluster();
    const gw = await startGatewayProcess({
      MQTT_URL: broker.url,
      HISTORIAN_DB: db.url,
      MQTT_CLIENT_ID: 'gw-pg-restart',
      GATEWAY_SHARE_GROUP: 'pg-restart',
    });
    const pub = await createPublisher(broker.url);
    try {
      await waitReady(gw);
      for (const n of range(30)) await pub.publishScan('filler-pg', n);
      await untilStored(gw, 'filler-pg', 30);

      db.stop();
      // Scans keep arriving while the database is down: held, not acknowledged, not dropped.
      for (const n of range(30, 30)) await pub.publishScan('filler-pg', n);
      await waitFor(
        async () => {
          const r = await getJson<Ready>(`${gw.url}/readyz`);
          return r?.status === 503 && !r.body.database.writable && r.body.database.heldMessages > 0;
        },
        30_000,
        () => `readyz to report the database down with held messages\n${gw.output().slice(-1500)}`,
      );
      expect(gw.output()).toMatch(/database write failed: holding acknowledgements back/);

      db.start();
      await waitFor(
        async () => (await storedSequences(gw.url, 'filler-pg')).length === 60,
        45_000,
        () => gw.output().slice(-1500),
      );
      expect(await storedSequences(gw.url, 'filler-pg')).toEqual(range(60));
      await waitReady(gw);
      expect(gw.output()).toMatch(/database writable again/);
    } finally {
      await pub.close();
      await gw.kill();
      await db.destroy();
    }
  });
});
