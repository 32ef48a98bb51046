import type { RunningMosquitto } from '@ot-mqtt/broker';
import { TOPIC_KINDS, parsePayload } from '@ot-mqtt/tag-model';
import { describe, expect } from 'vitest';
import {
  agentTest as it,
  brokerEnv,
  spawnAgent,
  waitFor,
  type Spawned,
} from './agent-process.test-helper.js';

const sequenceOf = (payload: string): number | undefined =>
  (JSON.parse(payload) as { sequence?: number }).sequence;
const statusOf = (payload: string): string | undefined =>
  (JSON.parse(payload) as { status?: string }).status;

describe('agent against a real Mosquitto', () => {
  const agentEnv = (
    broker: RunningMosquitto,
    machineId: string,
    extra: Record<string, string> = {},
  ) => ({
    ...brokerEnv(broker),
    PUBLISH_INTERVAL: '0.1',
    MACHINE_ID: machineId,
    // Each test its own root, so tests sharing this broker never see each other's messages.
    TOPIC_ROOT: `test/${machineId}`,
    ...extra,
  });

  it('publishes all seven topics at QoS 1, not retained, valid per the tag model, one sequence per scan', async ({
    broker,
    subscribe,
  }) => {
    // Whenever the subscription lands (even mid-scan), only scans whose data message was seen are checked.
    const { seen } = await subscribe('test/seven/#');
    const agent = spawnAgent(agentEnv(broker, 'seven'));
    await agent.line(/INFO\s+connected/);
    const data = await waitFor(() => {
      const scans = seen().filter((m) => m.topic === 'test/seven/data');
      return scans.length >= 3 && scans;
    }, 'three scans on test/seven/data');
    const sequences = data.map((m) => sequenceOf(m.payload)!);
    const complete = sequences.slice(0, -1); // the last scan's six group messages may still be on their way
    // The seven scan topics; connection and the PackML state (retained, on change) are checked apart.
    const messages = seen().filter(
      (m) => m.topic !== 'test/seven/connection' && m.topic !== 'test/seven/packml',
    );

    for (const m of messages) {
      expect(m.qos, m.topic).toBe(1);
      expect(m.retain, m.topic).toBe(false);
      const parsed = parsePayload(m.topic, m.payload, { root: 'test/seven' });
      expect(parsed.ok ? '' : parsed.error.message, m.topic).toBe('');
    }
    for (const sequence of complete) {
      const ofScan = messages.filter((m) => sequenceOf(m.payload) === sequence);
      expect(ofScan.map((m) => m.topic.split('/').pop())).toEqual([...TOPIC_KINDS]);
    }
    expect(sequences.slice(0, 3)).toEqual([sequences[0], sequences[0]! + 1, sequences[0]! + 2]);
    const packml = seen().find((m) => m.topic === 'test/seven/packml');
    expect(packml && JSON.parse(packml.payload)).toMatchObject({
      machineId: 'seven',
      state: 'Execute',
    });
    const online = seen().find((m) => m.topic === 'test/seven/connection');
    expect(online && JSON.parse(online.payload)).toMatchObject({
      schemaVersion: 1,
      status: 'online',
      machineId: 'seven',
      publishIntervalMs: 100,
    });
  });

  it('SIGTERM: exits 0 after publishing offline (retained) and acknowledging every scan', async ({
    broker,
    subscribe,
  }) => {
    const agent = spawnAgent(agentEnv(broker, 'term'));
    await agent.line(/INFO\s+connected/);
    const { sub, seen } = await subscribe('test/term/#');
    await waitFor(
      () => seen().filter((m) => m.topic === 'test/term/data').length >= 2,
      'two scans',
    );
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await waitFor(
      () =>
        seen().some((m) => m.topic === 'test/term/connection' && statusOf(m.payload) === 'offline'),
      'offline on the connection topic',
    );
    expect(agent.stdout.join('\n')).toMatch(/SIGTERM received: stopping/);
    expect(agent.stderr.join('\n')).not.toMatch(/never acknowledged/);
    const last = agent.stdout.filter((l) => l.includes(' summary ')).pop() ?? '';
    const [, messages, acked] = /messages=(\d+) acked=(\d+)/.exec(last) ?? [];
    expect(Number(messages)).toBeGreaterThan(0);
    expect(acked).toBe(messages);
    await sub.stop();

    // A client connecting later learns the agent's state from the retained message.
    const late = await subscribe('test/term/connection', ['-C', '1']);
    await late.sub.exited;
    expect(late.seen()).toEqual([
      expect.objectContaining({
        retain: true,
        payload: expect.stringContaining('"status":"offline"'),
      }),
    ]);
  });

  it('publishes over WebSockets with MQTT_URL=ws://', async ({ broker, subscribe }) => {
    const { seen } = await subscribe('test/ws/#');
    const agent = spawnAgent({
      MQTT_URL: `ws://${broker.host}:${broker.ports[9001]}`,
      PUBLISH_INTERVAL: '0.1',
      MACHINE_ID: 'ws',
      TOPIC_ROOT: 'test/ws',
    });
    await agent.line(/INFO\s+connected url=ws:/);
    const data = await waitFor(
      () => seen().find((m) => m.topic === 'test/ws/data'),
      'a scan published over WebSockets',
    );
    expect(parsePayload(data.topic, data.payload, { root: 'test/ws' }).ok).toBe(true);
  });

  it('kill -9 of the agent: the broker publishes its last will, offline', async ({
    broker,
    subscribe,
  }) => {
    const { seen } = await subscribe('test/crash/connection');
    const agent: Spawned = spawnAgent(agentEnv(broker, 'crash'));
    await waitFor(
      () => seen().some((m) => statusOf(m.payload) === 'online'),
      'online on the connection topic',
    );
    agent.child.kill('SIGKILL');
    await agent.exited;
    const will = await waitFor(
      () => seen().find((m) => statusOf(m.payload) === 'offline'),
      'the last will (offline)',
    );
    expect(JSON.parse(will.payload)).toMatchObject({ schemaVersion: 1, machineId: 'crash' });
  });
});
