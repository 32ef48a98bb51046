import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { compressPayload } from '@ot-mqtt/sparkplug';
import { encodeScan } from '@ot-mqtt/tag-model';
import { afterEach, describe, expect } from 'vitest';
import {
  createPublisher,
  getJson,
  someTags,
  startGatewayProcess,
  storedSequences,
  untilStored,
  waitReady,
  type GatewayProcess,
} from './gateway-process.test-helper.js';

// The agent is another app: started from its build, never imported.
const AGENT_MAIN = fileURLToPath(new URL('../../agent/dist/main.js', import.meta.url));
const it = createBrokerTest();
const gateways: GatewayProcess[] = [];
const agents: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.kill('SIGKILL');
  await Promise.all(gateways.splice(0).map((g) => g.kill()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const gatewayEnv = (brokerUrl: string, name: string, extra: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), `gateway-${name}-`));
  dirs.push(dir);
  return {
    MQTT_URL: brokerUrl,
    HISTORIAN_DB: join(dir, 'historian.sqlite'),
    MQTT_CLIENT_ID: `gw-${name}`,
    GATEWAY_SHARE_GROUP: `g-${name}`,
    ...extra,
  };
};

describe('gateway: compact payloads (issue 16)', () => {
  it.skipIf(!existsSync(AGENT_MAIN))(
    'GATEWAY_SPARKPLUG=true stores a Sparkplug edge node’s fillers as scans, with their latest values',
    async ({ broker }) => {
      const gw = await startGatewayProcess(
        gatewayEnv(broker.url, 'spb', { GATEWAY_SPARKPLUG: 'true' }),
      );
      gateways.push(gw);
      await waitReady(gw);
      const { hostname, port } = new URL(broker.url);
      const agent = spawn(process.execPath, [AGENT_MAIN], {
        env: {
          PATH: process.env['PATH'] ?? '',
          MQTT_BROKER_HOST: hostname,
          MQTT_BROKER_PORT: port,
          PAYLOAD_FORMAT: 'sparkplug',
          SPARKPLUG_EDGE_NODE_ID: 'gateway-e2e',
          MACHINE_ID: 'filler-spb',
          PUBLISH_INTERVAL: '0.1',
          SIM_TIME_SCALE: '20',
        },
        stdio: 'ignore',
      });
      agents.push(agent);
      await untilStored(gw, 'filler-spb', 3, 45_000);
      const latest = await getJson<{ machineId: string; tags: Record<string, unknown> }>(
        `${gw.url}/api/machines/filler-spb/latest`,
      );
      expect(latest?.status).toBe(200);
      expect(JSON.stringify(latest?.body)).toContain('FillLevel');
      const sequences = await storedSequences(gw.url, 'filler-spb');
      expect(sequences.slice(0, 3)).toEqual([0, 1, 2]);
    },
  );

  it('stores deflate- and gzip-compressed JSON scans like plain ones', async ({ broker }) => {
    const gw = await startGatewayProcess(gatewayEnv(broker.url, 'zip'));
    gateways.push(gw);
    await waitReady(gw);
    const publisher = await createPublisher(broker.url);
    try {
      for (const [sequence, compression] of [
        [0, 'none'],
        [1, 'deflate'],
        [2, 'gzip'],
      ] as const) {
        const [data] = encodeScan(someTags(), {
          machineId: 'filler-zip',
          sequence,
          timestamp: new Date(Date.now() - 1000 + sequence),
        });
        await publisher.client.publishAsync(
          data!.topic,
          Buffer.from(compressPayload(data!.payload, compression)),
          {
            qos: 1,
          },
        );
      }
      expect(await untilStored(gw, 'filler-zip', 3, 30_000)).toEqual([0, 1, 2]);
    } finally {
      await publisher.close();
    }
  });
});
