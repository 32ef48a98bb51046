import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { describe, expect, it, vi } from 'vitest';
import {
  connectOrThrow,
  listen,
  pubackReason,
  untilPayload,
  useSecureBroker,
} from './security-kit.test-helper.js';
import { setupSecure } from './setup-secure.js';
import { PRODUCTION_CONFIG_DIR, startSecureMosquitto } from './start-secure-mosquitto.js';

// The production ACL as a matrix of who may write and read what (issue 9.7: one identity per
// machine; issue 12: commands; issue 14: $SYS), against a real Mosquitto with the shipped files.
// Writes are checked with MQTT 5, where Mosquitto answers a refused publish with PUBACK 0x87.
// Reads: the message is published, then a sentinel the reader may read; the reader's connection
// is served in order, so once the sentinel arrived, a readable message would have arrived before it.

const R = 'plc/bottlefiller';
const MACHINES = ['filler-07', 'filler-08'];

/** [user, topic, may write] */
const WRITES: ReadonlyArray<readonly [string, string, boolean]> = [
  // A machine identity writes its own machine's topics and nothing else (issue 9.7).
  ['filler-07', `${R}/filler-07/data`, true],
  ['filler-07', `${R}/filler-07/connection`, true],
  ['filler-07', `${R}/filler-07/packml`, true],
  ['filler-07', `${R}/filler-07/alarms/events`, true],
  ['filler-07', `${R}/filler-07/command/reply`, true],
  ['filler-07', `${R}/filler-07/command/reply/hmi-1/42`, true],
  ['filler-07', `${R}/filler-08/data`, false],
  ['filler-07', `${R}/filler-08/connection`, false],
  ['filler-07', `${R}/filler-08/command/reply`, false],
  ['filler-07', `${R}/filler-08/command`, false],
  ['filler-07', `${R}/data`, false],
  ['filler-07', 'elsewhere/data', false],
  ['filler-08', `${R}/filler-07/data`, false],
  // The single-filler agent: its own level only, no fleet machine's topics.
  ['agent', `${R}/data`, true],
  ['agent', `${R}/connection`, true],
  ['agent', `${R}/packml`, true],
  ['agent', `${R}/alarms/events`, true],
  ['agent', `${R}/command/reply`, true],
  ['agent', `${R}/filler-07/data`, false],
  ['agent', `${R}/filler-07/command/reply`, false],
  // Commands (issue 12): operator yes, dashboard and viewer no; nobody else forges replies.
  ['operator', `${R}/command`, true],
  ['operator', `${R}/filler-07/command`, true],
  ['operator', `${R}/filler-07/data`, false],
  ['operator', `${R}/filler-07/command/reply`, false],
  ['operator', `${R}/filler-07/packml`, false],
  ['dashboard', `${R}/command`, false],
  ['dashboard', `${R}/filler-07/command`, false],
  ['viewer', `${R}/command`, false],
  ['viewer', `${R}/filler-07/command`, false],
  ['viewer', `${R}/filler-07/data`, false],
  // The alarm server publishes alarm events, nothing else.
  ['gateway', `${R}/filler-07/alarms/events`, true],
  ['gateway', `${R}/alarms/events`, true],
  ['gateway', `${R}/filler-07/command`, false],
  ['gateway', `${R}/filler-07/data`, false],
  // The $SYS account writes nothing (issue 14).
  ['broker-metrics', `${R}/data`, false],
  ['broker-metrics', `${R}/filler-07/command`, false],
];

/** [user, topic, may read, who publishes it] */
const READS: ReadonlyArray<readonly [string, string, boolean, string]> = [
  ['filler-07', `${R}/filler-07/command`, true, 'operator'],
  ['filler-07', `${R}/filler-08/command`, false, 'operator'],
  ['filler-07', `${R}/command`, false, 'operator'],
  ['filler-07', `${R}/filler-08/data`, false, 'filler-08'],
  ['agent', `${R}/command`, true, 'operator'],
  ['agent', `${R}/filler-07/command`, false, 'operator'],
  ['operator', `${R}/filler-07/command/reply`, true, 'filler-07'],
  ['operator', `${R}/command/reply`, true, 'agent'],
  ['operator', `${R}/filler-07/data`, true, 'filler-07'],
  ['dashboard', `${R}/filler-07/data`, true, 'filler-07'],
  ['viewer', `${R}/filler-07/packml`, true, 'filler-07'],
  ['gateway', `${R}/filler-07/data`, true, 'filler-07'],
  ['broker-metrics', `${R}/filler-07/data`, false, 'filler-07'],
  ['broker-metrics', `${R}/filler-07/command`, false, 'operator'],
];

/** A topic each user may read, and who may write it: the sentinel of the read checks. */
const SENTINEL: Readonly<Record<string, readonly [string, string]>> = {
  'filler-07': [`${R}/filler-07/command`, 'operator'],
  agent: [`${R}/command`, 'operator'],
  operator: [`${R}/filler-08/data`, 'filler-08'],
  dashboard: [`${R}/filler-08/data`, 'filler-08'],
  viewer: [`${R}/filler-08/data`, 'filler-08'],
  gateway: [`${R}/filler-08/data`, 'filler-08'],
};

describe('production ACL: the matrix of accounts and machine identities', () => {
  // The write checks share one connection per user: closed after all tests, not after each.
  const suite = useSecureBroker(
    // $SYS rounds every 2 s instead of the profile's 10 (profile-settings.spec.ts checks the 10):
    // the $SYS checks wait for a round.
    (secrets) => startSecureMosquitto({ secretsDir: secrets.brokerDir, extra: 'sys_interval 2' }),
    { machines: MACHINES, keepClients: true },
  );
  const clients = new Map<string, MqttClient>();
  const connect = (user: string) =>
    connectOrThrow(suite.broker.mqttsUrl!, { ...suite.as(user), protocolVersion: 5 });
  const client = async (user: string): Promise<MqttClient> => {
    const existing = clients.get(user);
    if (existing) return existing;
    const created = await connect(user);
    clients.set(user, created);
    return created;
  };

  it.each(WRITES)('%s → write %s: %s', async (user, topic, allowed) => {
    const code = await pubackReason(await client(user), topic, `from ${user}`);
    expect(code, `PUBACK reason of ${user} on ${topic}`).toBe(allowed ? 0 : 0x87);
  });

  it.each(READS)('%s → read %s: %s', async (user, topic, allowed, publisher) => {
    const reader = await connect(user);
    const [sentinelTopic, sentinelWriter] = SENTINEL[user] ?? [
      '$SYS/broker/uptime',
      'nobody: Mosquitto publishes it',
    ];
    const seen = await listen(reader, [topic, sentinelTopic]);
    const payload = `read-check ${user} ${topic} ${Math.random()}`;
    await (await client(publisher)).publishAsync(topic, payload, { qos: 1 });
    if (sentinelWriter.startsWith('nobody'))
      // $SYS is published by the broker itself every sys_interval (10 s). The first uptime comes
      // at once (retained, on subscribing); the second is the next round, after our message.
      await vi.waitFor(
        () => expect(seen.filter((m) => m.topic === sentinelTopic).length).toBeGreaterThan(1),
        { timeout: 25_000 },
      );
    else {
      await (await client(sentinelWriter)).publishAsync(sentinelTopic, 'sentinel', { qos: 1 });
      await untilPayload([seen]);
    }
    expect(seen.some((m) => m.payload === payload)).toBe(allowed);
    reader.end(true);
  });

  it('broker-metrics reads $SYS/# (the broker’s figures every sys_interval); the other accounts do not', async () => {
    const [viewerSeen, operatorSeen] = await Promise.all(
      ['viewer', 'operator'].map(async (user) =>
        listen(await connect(user), ['$SYS/#', `${R}/filler-08/data`], 0),
      ),
    );
    const seen = await listen(await connect('broker-metrics'), '$SYS/#', 0);
    await vi.waitFor(
      () =>
        expect(seen.map((m) => m.topic)).toEqual(
          expect.arrayContaining(['$SYS/broker/uptime', '$SYS/broker/clients/connected']),
        ),
      { timeout: 25_000 },
    );
    // One more $SYS round has gone out to everyone subscribed once the metrics account sees the
    // uptime again; the viewer and operator got a sentinel they may read after it.
    const rounds = seen.filter((m) => m.topic === '$SYS/broker/uptime').length;
    await vi.waitFor(
      () =>
        expect(seen.filter((m) => m.topic === '$SYS/broker/uptime').length).toBeGreaterThan(rounds),
      { timeout: 25_000 },
    );
    await (await client('filler-08')).publishAsync(`${R}/filler-08/data`, 'sentinel', { qos: 1 });
    await untilPayload([viewerSeen!, operatorSeen!]);
    expect([...viewerSeen!, ...operatorSeen!].filter((m) => m.topic.startsWith('$SYS'))).toEqual(
      [],
    );
  });

  it('setup-secure refuses a machine identity named like an account (its pattern would apply to that account)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-machines-'));
    await expect(setupSecure({ dir, machines: ['operator'] })).rejects.toThrow(
      /is the name of an account/,
    );
    await expect(setupSecure({ dir, machines: ['line/1'] })).rejects.toThrow(/is not a machine id/);
  });
});

describe('production ACL: an operator given some machines commands only those', () => {
  const suite = useSecureBroker(async (secrets) => {
    // The narrowing docs/security.md describes: one `command` line per machine the operator has.
    const profileDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-profile-'));
    await cp(PRODUCTION_CONFIG_DIR, profileDir, { recursive: true });
    const acl = await readFile(join(profileDir, 'acl'), 'utf8');
    const narrowed = acl.replace(
      /^topic write plc\/bottlefiller\/command\ntopic write plc\/bottlefiller\/\+\/command$/m,
      'topic write plc/bottlefiller/filler-07/command',
    );
    expect(narrowed).not.toBe(acl);
    await writeFile(join(profileDir, 'acl'), narrowed);
    return startSecureMosquitto({ secretsDir: secrets.brokerDir, profileDir });
  });

  it('filler-07: accepted; filler-08 and the single-filler topic: refused', async () => {
    const operator = await connectOrThrow(suite.broker.mqttsUrl!, {
      ...suite.as('operator'),
      protocolVersion: 5,
    });
    const reason = (topic: string) =>
      pubackReason(operator, topic, '{"command":"stop","requestId":"r1"}');
    expect(await reason(`${R}/filler-07/command`)).toBe(0);
    expect(await reason(`${R}/filler-08/command`)).toBe(0x87);
    expect(await reason(`${R}/command`)).toBe(0x87);
  });
});
