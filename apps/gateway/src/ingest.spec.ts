import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { brokerTest as it } from '@ot-mqtt/broker/testing';
import { parseConfig } from './config.js';
import { createPublisher } from './gateway-process.test-helper.js';
import { silent } from './api-test.test-helper.js';
import { startGateway } from './start-gateway.js';

describe('ingest acknowledgements', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-ingest-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one connection commits many scans per transaction, holds at most GATEWAY_INGEST_INFLIGHT, and acknowledges every one', async ({
    broker,
  }) => {
    const parsed = parseConfig(
      {
        MQTT_URL: broker.url,
        HISTORIAN_DB: join(dir, 'acks.sqlite'),
        GATEWAY_PORT: '0',
        MQTT_CLIENT_ID: 'gw-acks',
        GATEWAY_INGEST_CONNECTIONS: '1',
        GATEWAY_INGEST_INFLIGHT: '16',
      },
      [],
    );
    if (parsed.kind !== 'ok') throw new Error(JSON.stringify(parsed));
    const N = 400;
    let gateway = await startGateway(parsed.config, silent);
    const pub = await createPublisher(broker.url);
    try {
      await expect.poll(() => gateway.ingest.status().connected, { timeout: 20_000 }).toBe(1);
      // Published while the gateway is stopped, so the broker delivers them as fast as we take them.
      await gateway.close();
      await Promise.all(Array.from({ length: N }, (_, n) => pub.publishScan(`m-${n % 8}`, n)));
      gateway = await startGateway(parsed.config, silent);
      await expect.poll(() => gateway.queue.status().stored, { timeout: 30_000 }).toBe(N);
      const { largestBatch, batches } = gateway.queue.status();
      expect(largestBatch).toBeGreaterThan(1);
      expect(largestBatch).toBeLessThanOrEqual(16);
      expect(batches).toBeLessThan(N);
      await expect.poll(() => gateway.ingest.status().unacknowledged).toBe(0);
      // Everything was acknowledged: a new session of the same client gets nothing again.
      await gateway.close();
      gateway = await startGateway(parsed.config, silent);
      await expect.poll(() => gateway.ingest.status().connected, { timeout: 20_000 }).toBe(1);
      await pub.publishScan('m-last', 0);
      await expect.poll(() => gateway.queue.status().stored, { timeout: 20_000 }).toBe(1);
      expect(gateway.queue.status().duplicates).toBe(0);
      expect(gateway.ingest.status().redelivered).toBe(0);
    } finally {
      await pub.close();
      await gateway.close();
    }
  });
});
