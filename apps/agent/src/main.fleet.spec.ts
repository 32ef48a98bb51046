import type { RunningMosquitto } from '@ot-mqtt/broker';
import type { SubMessage } from '@ot-mqtt/broker/testing';
import { TOPIC_KINDS, parsePayload } from '@ot-mqtt/tag-model';
import { describe, expect, vi } from 'vitest';
import { agentTest as it, brokerEnv, spawnAgent, waitFor } from './agent-process.test-helper.js';

/** One message as the third-party subscriber printed it. */
type Seen = Pick<SubMessage, 'retain' | 'topic' | 'payload'>;

interface Envelope {
  machineId: string;
  sequence: number;
  timestamp: string;
  status?: string;
}
const envelope = (m: Seen) => JSON.parse(m.payload) as Envelope;

/** Data messages per machine id (the topic's machine level), in arrival order. */
function dataByMachine(seen: readonly Seen[], root: string): Map<string, Envelope[]> {
  const byMachine = new Map<string, Envelope[]>();
  for (const m of seen) {
    const match = new RegExp(`^${root}/([^/]+)/data$`).exec(m.topic);
    if (!match) continue;
    const list = byMachine.get(match[1]!) ?? [];
    list.push(envelope(m));
    byMachine.set(match[1]!, list);
  }
  return byMachine;
}

const contiguous = (sequences: readonly number[]) =>
  sequences.every((s, i) => i === 0 || s === sequences[i - 1]! + 1);

describe('fleet mode against a real Mosquitto (issue 6)', () => {
  const env = (broker: RunningMosquitto, root: string, extra: Record<string, string>) => ({
    ...brokerEnv(broker),
    PUBLISH_INTERVAL: '0.3',
    TOPIC_ROOT: root,
    SUMMARY_INTERVAL: '0',
    ...extra,
  });

  it('FILLER_COUNT=3: each machine publishes its seven topics under <root>/<id>/, its own contiguous sequence, scans spread over the interval', async ({
    broker,
    subscribe,
  }) => {
    const root = 'fleet/three';
    const { seen } = await subscribe(`${root}/#`);
    const agent = spawnAgent(env(broker, root, { FILLER_COUNT: '3' }));
    await agent.line(/INFO\s+connected/);
    const ids = ['filler-0001', 'filler-0002', 'filler-0003'];
    const byMachine = await waitFor(() => {
      const data = dataByMachine(seen(), root);
      return ids.every((id) => (data.get(id)?.length ?? 0) >= 4) && data;
    }, 'four scans of each of the three machines');

    expect([...byMachine.keys()].sort()).toEqual(ids);
    for (const [id, scans] of byMachine) {
      expect(
        scans.every((s) => s.machineId === id),
        id,
      ).toBe(true);
      expect(contiguous(scans.map((s) => s.sequence)), id).toBe(true);
    }
    // Every message: valid per the tag model, machine id in the topic = machine id in the payload.
    // (The PackML state, retained on change, is not a scan topic: parseWriteTopic reads it.)
    const messages = seen().filter((m) => !m.topic.endsWith('/packml'));
    for (const m of messages) {
      const parsed = parsePayload(m.topic, m.payload, { root });
      expect(parsed.ok ? parsed.machineId : parsed.error.message, m.topic).toBe(
        m.topic.split('/')[2],
      );
    }
    // The seven topics of a complete scan, data first.
    const second = messages.filter(
      (m) => m.topic.startsWith(`${root}/filler-0002/`) && !m.topic.endsWith('/connection'),
    );
    const firstSequence = envelope(second[0]!).sequence;
    expect(
      second
        .filter((m) => envelope(m).sequence === firstSequence + 1)
        .map((m) => m.topic.split('/').pop()),
    ).toEqual([...TOPIC_KINDS]);
    // Phases spread over the 300 ms interval (0, 100, 200 ms apart): loosely, not one burst.
    const firstAt = ids.map((id) => Date.parse(byMachine.get(id)![0]!.timestamp));
    expect(new Set(firstAt).size).toBe(3);
    expect(Math.max(...firstAt) - Math.min(...firstAt)).toBeGreaterThanOrEqual(50);
    // One retained online announcement per machine on its own connection topic.
    for (const id of ids) {
      const online = messages.find((m) => m.topic === `${root}/${id}/connection`);
      expect(online && envelope(online), id).toMatchObject({ machineId: id, status: 'online' });
    }
  });

  it('FILLER_SHARD 0/2 and 1/2: two agents publish the fleet of five once, each machine from one agent only', async ({
    broker,
    subscribe,
  }) => {
    const root = 'fleet/shards';
    const { seen } = await subscribe(`${root}/+/data`);
    const agents = ['0/2', '1/2'].map((shard) =>
      spawnAgent(env(broker, root, { FILLER_COUNT: '5', FILLER_SHARD: shard })),
    );
    expect(await agents[0]!.line(/starting/)).toMatch(/first=filler-0001 last=filler-0002 /);
    expect(await agents[1]!.line(/starting/)).toMatch(/first=filler-0003 last=filler-0005 /);
    const ids = ['filler-0001', 'filler-0002', 'filler-0003', 'filler-0004', 'filler-0005'];
    const byMachine = await waitFor(() => {
      const data = dataByMachine(seen(), root);
      return ids.every((id) => (data.get(id)?.length ?? 0) >= 3) && data;
    }, 'three scans of each of the five machines');
    expect([...byMachine.keys()].sort()).toEqual(ids);
    // A machine simulated by both agents would show each sequence number twice.
    for (const [id, scans] of byMachine)
      expect(contiguous(scans.map((s) => s.sequence)), id).toBe(true);
  });

  it('CONNECTION_MODE=per-filler: one MQTT connection per machine, each with its own last will', async ({
    broker,
    subscribe,
  }) => {
    const root = 'fleet/perfiller';
    const { seen } = await subscribe(`${root}/+/connection`);
    const agent = spawnAgent(
      env(broker, root, { FILLER_COUNT: '4', CONNECTION_MODE: 'per-filler', MQTT_CLIENT_ID: 'pf' }),
    );
    await agent.line(/INFO\s+connected .*connections=4/);
    const ids = ['filler-0001', 'filler-0002', 'filler-0003', 'filler-0004'];
    const statusOf = (id: string) =>
      seen()
        .filter((m) => m.topic === `${root}/${id}/connection`)
        .map((m) => envelope(m).status);
    await waitFor(() => ids.every((id) => statusOf(id).includes('online')), 'four online');
    // The broker saw four clients, named after the machines.
    const log = await vi.waitFor(
      async () => {
        const text = await broker.readLog();
        if (!ids.every((id) => text.includes(`as pf-${id}`)))
          throw new Error('waiting for four client connections in the broker log');
        return text;
      },
      { timeout: 45_000 },
    );
    expect(log.match(/New client connected .* as pf-filler-\d{4}/g)).toHaveLength(4);

    agent.child.kill('SIGKILL');
    await agent.exited;
    // kill -9: no DISCONNECT, so the broker publishes each connection's will — one per machine.
    await waitFor(() => ids.every((id) => statusOf(id).includes('offline')), 'four last wills');
  });

  it('two subscribers in one share group ($share/…) split the fleet data with no scan lost or doubled', async ({
    broker,
    mosquittoSub,
  }) => {
    const root = 'fleet/share';
    const member = () =>
      mosquittoSub({ url: broker.url, topics: [`$share/historians/${root}/+/data`] });
    const members = await Promise.all([member(), member()]);
    const agent = spawnAgent(env(broker, root, { FILLER_COUNT: '3', PUBLISH_INTERVAL: '0.1' }));
    await waitFor(
      () => members.every((m) => m.messages().length >= 10),
      'both members receiving fleet data',
    );
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const last = agent.stdout.filter((l) => l.includes(' summary ')).pop() ?? '';
    const scans = Number(/ scans=(\d+)/.exec(last)?.[1]);
    const received = () => members.flatMap((m) => m.messages().map(envelope));
    // Everything each machine published from the first scan a member saw must arrive, once.
    const expected = () => {
      const first = new Map<string, number>();
      for (const e of received())
        first.set(e.machineId, Math.min(first.get(e.machineId) ?? Infinity, e.sequence));
      const published = scans; // sum over machines of (last sequence + 1)
      return published - [...first.values()].reduce((a, b) => a + b, 0);
    };
    await waitFor(() => received().length >= expected(), 'every published scan at one member');
    const all = received();
    const keys = all.map((e) => `${e.machineId}#${e.sequence}`);
    expect(new Set(keys).size, 'no scan delivered twice').toBe(keys.length);
    expect(keys.length).toBe(expected());
    for (const id of ['filler-0001', 'filler-0002', 'filler-0003']) {
      const sequences = all
        .filter((e) => e.machineId === id)
        .map((e) => e.sequence)
        .sort((a, b) => a - b);
      expect(contiguous(sequences), id).toBe(true);
    }
    // The broker split the load: each member got a real share.
    for (const m of members) expect(m.messages().length).toBeGreaterThan(keys.length / 5);
  });

  it('refuses a shard that does not fit the fleet: exit 2 naming FILLER_SHARD', async () => {
    const agent = spawnAgent({ FILLER_COUNT: '2', FILLER_SHARD: '0/3' });
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toMatch(/Invalid FILLER_SHARD="0\/3": has more shards \(3\)/);
  });
});
