import { brokerTest as it, mosquittoPub, setupSecure } from '@ot-mqtt/broker/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { killAll, spawnAgent } from './agent-process.test-helper.js';

afterEach(killAll);

// Issue 9.7: per-filler identities against Mosquitto running the production profile (TLS,
// passwords, the shipped ACL with `pattern write plc/bottlefiller/%u/#`), with setup-secure's
// machine identities (`--machine filler-0001` → clients/filler-0001.password).
const MACHINES = ['filler-0001', 'filler-0002'];
const R = 'plc/bottlefiller';

describe('per-filler identities on the production profile', () => {
  it('each filler connection logs in as its machine; a connection holding machine A cannot publish on machine B', async ({
    startSecureBroker,
    mosquittoSub,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-identities-'));
    try {
      const secrets = await setupSecure({ dir, machines: MACHINES });
      const broker = await startSecureBroker({ secretsDir: secrets.brokerDir });
      const tls = { url: broker.mqttsUrl!, caFile: secrets.caFile };
      const password = (user: string) => readFile(secrets.users[user]!.passwordFile!, 'utf8');
      const sub = await mosquittoSub({
        ...tls,
        username: 'viewer',
        password: await password('viewer'),
        topics: [`${R}/+/data`],
      });
      const agentEnv = {
        MQTT_URL: broker.mqttsUrl!,
        MQTT_CA_FILE: secrets.caFile,
        MQTT_TLS_SERVERNAME: 'localhost',
        FILLER_COUNT: '2',
        CONNECTION_MODE: 'per-filler',
        PUBLISH_INTERVAL: '0.2',
        SUMMARY_INTERVAL: '0.2',
      };
      const machinesSeen = () =>
        [...new Set(sub.messages().map((m) => m.topic.split('/')[2]))].sort();

      // One identity per filler: both machines' data get through the ACL.
      const fleet = spawnAgent({
        ...agentEnv,
        MQTT_USERNAME: '{machineId}',
        MQTT_PASSWORD_FILE: join(secrets.clientsDir, '{machineId}.password'),
        MQTT_CLIENT_ID: 'line-a-{machineId}',
      });
      await expect.poll(machinesSeen, { timeout: 30_000 }).toEqual(MACHINES);
      fleet.child.kill('SIGTERM');
      expect(await fleet.exited).toBe(0);
      expect(fleet.stderr.join('\n')).not.toMatch(/not authori[sz]ed|never acknowledged/);

      // Agent A holds filler-0001's identity but simulates filler-0002 (shard 1 of 2).
      const before = sub.messagesOn(`${R}/filler-0002/data`).length;
      const impostor = spawnAgent({
        ...agentEnv,
        FILLER_SHARD: '1/2',
        MQTT_USERNAME: 'filler-0001',
        MQTT_PASSWORD_FILE: secrets.users['filler-0001']!.passwordFile!,
      });
      // It connects and its scans are acknowledged (MQTT 3.1.1 has no way to refuse a publish) …
      await impostor.line(/ summary .*acked=(1[4-9]|[2-9]\d|\d{3,})/);
      // … but the broker drops them. The sentinel, published by filler-0002 itself after those
      // acknowledgements, reaches the subscriber after anything the broker let through before it.
      const sentinel = await mosquittoPub({
        ...tls,
        username: 'filler-0002',
        password: await password('filler-0002'),
        topic: `${R}/filler-0002/data`,
        message: 'sentinel',
        qos: 1,
      });
      expect(sentinel.code).toBe(0);
      await expect
        .poll(() => sub.messagesOn(`${R}/filler-0002/data`).some((m) => m.payload === 'sentinel'))
        .toBe(true);
      expect(
        sub
          .messagesOn(`${R}/filler-0002/data`)
          .slice(before)
          .map((m) => m.payload),
      ).toEqual(['sentinel']);
      impostor.child.kill('SIGTERM');
      await impostor.exited;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
