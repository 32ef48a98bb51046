import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { decodePayload, encodePayload, encodeHostState, rebirthRequest } from '@ot-mqtt/sparkplug';
import { afterEach, beforeAll, describe, expect } from 'vitest';
import { assertBuilt, killAll, spawnAgent, waitFor } from './agent-process.test-helper.js';
import {
  hasProtoc,
  protocDecode,
  rawSubscriber,
  type RawSubscriber,
} from './sparkplug/raw-subscriber.test-helper.js';

const it = createBrokerTest();
const subscribers: RawSubscriber[] = [];
afterEach(async () => {
  killAll();
  await Promise.all(subscribers.splice(0).map((s) => s.close()));
});

const GROUP = 'Packaging';
const NODE = 'e2e-node';
const sparkplugEnv = (url: string, extra: Record<string, string> = {}) => {
  const { hostname, port } = new URL(url);
  return {
    MQTT_BROKER_HOST: hostname,
    MQTT_BROKER_PORT: port,
    PAYLOAD_FORMAT: 'sparkplug',
    SPARKPLUG_GROUP_ID: GROUP,
    SPARKPLUG_EDGE_NODE_ID: NODE,
    PUBLISH_INTERVAL: '0.1',
    SIM_TIME_SCALE: '20',
    SUMMARY_INTERVAL: '0',
    ...extra,
  };
};
const bdSeqOf = (payload: Uint8Array) =>
  decodePayload(payload).metrics.find((m) => m.name === 'bdSeq')?.value;

describe('agent as a Sparkplug B edge node (PAYLOAD_FORMAT=sparkplug)', () => {
  beforeAll(assertBuilt);

  it('births, reports by exception, rebirths on NCMD, and its NDEATH will carries the NBIRTH’s bdSeq after kill -9', async ({
    broker,
  }) => {
    const sub = await rawSubscriber(broker.url, 'spBv1.0/#');
    subscribers.push(sub);
    const agent = spawnAgent(sparkplugEnv(broker.url));
    await waitFor(() => sub.on('DDATA').length >= 3, 'three DDATA');

    const [nbirth] = sub.on('NBIRTH');
    const [dbirth] = sub.on('DBIRTH');
    expect(nbirth!.topic).toBe(`spBv1.0/${GROUP}/NBIRTH/${NODE}`);
    expect(dbirth!.topic).toBe(`spBv1.0/${GROUP}/DBIRTH/${NODE}/filler-01`);
    // Every edge node publish is QoS 0, not retained.
    expect(sub.messages.every((m) => m.qos === 0 && !m.retain)).toBe(true);
    const birth = decodePayload(nbirth!.payload);
    expect(birth.seq).toBe(0);
    expect(bdSeqOf(nbirth!.payload)).toBe(0n);
    const device = decodePayload(dbirth!.payload);
    expect(device.seq).toBe(1);
    expect(device.metrics.map((m) => m.name)).toContain('Analog/FillLevel');
    // seq continues over node and device messages, mod 256.
    const seqs = sub.on('DDATA').map((m) => decodePayload(m.payload).seq);
    expect(seqs.slice(0, 3)).toEqual([2, 3, 4]);
    for (const m of sub.on('DDATA'))
      for (const metric of decodePayload(m.payload).metrics) {
        expect(metric.name).toBeUndefined();
        expect(metric.alias).toBeGreaterThan(0);
      }

    if (hasProtoc) {
      // Third-party proof: Debian's protoc reads the bytes the agent put on the wire.
      expect(protocDecode(nbirth!.payload)).toMatch(
        /name: "Node Control\/Rebirth"[^}]*boolean_value: false/u,
      );
      const dbirthText = protocDecode(dbirth!.payload);
      expect(dbirthText).toMatch(
        /name: "Analog\/FillLevel"\n\s+alias: 13\n\s+timestamp: \d+\n\s+datatype: 10/u,
      );
      expect(dbirthText).toMatch(
        /name: "Counters\/BottlesFilled"\n\s+alias: 23\n\s+timestamp: \d+\n\s+datatype: 3/u,
      );
      expect(protocDecode(sub.on('DDATA')[0]!.payload)).toMatch(/^seq: 2$/mu);
    }

    // A host asks for a rebirth: a new NBIRTH (seq 0, same bdSeq) and DBIRTH follow.
    const request = rebirthRequest(GROUP, NODE, Date.now());
    await sub.client.publishAsync(request.topic, Buffer.from(request.payload), { qos: 1 });
    await waitFor(
      () => sub.on('NBIRTH').length >= 2 && sub.on('DBIRTH').length >= 2,
      'the rebirth',
    );
    expect(decodePayload(sub.on('NBIRTH')[1]!.payload).seq).toBe(0);
    expect(bdSeqOf(sub.on('NBIRTH')[1]!.payload)).toBe(0n);
    await agent.line(/rebirth requested/u);
    expect(await agent.line(/starting/u)).toMatch(
      /payload=sparkplug group=Packaging edgeNode=e2e-node/u,
    );

    // A DCMD write is the JSON command: stop the filler.
    await sub.client.publishAsync(
      `spBv1.0/${GROUP}/DCMD/${NODE}/filler-01`,
      Buffer.from(encodePayload({ metrics: [{ name: 'Commands/stop', value: true }] })),
      { qos: 1 },
    );
    await agent.line(/DCMD applied .*command=stop .*accepted=true/u);

    agent.child.kill('SIGKILL');
    await waitFor(() => sub.on('NDEATH').length >= 1, 'the NDEATH will', 60_000);
    const [death] = sub.on('NDEATH');
    expect(death!.topic).toBe(`spBv1.0/${GROUP}/NDEATH/${NODE}`);
    expect(decodePayload(death!.payload).seq).toBeUndefined();
    expect(bdSeqOf(death!.payload)).toBe(bdSeqOf(nbirth!.payload));
    if (hasProtoc) expect(protocDecode(death!.payload)).toMatch(/name: "bdSeq"[^}]*long_value: 0/u);
  });

  it('takes the next bdSeq on a reconnect, and stops cleanly with DDEATH then NDEATH', async ({
    freshBroker,
  }) => {
    const agent = spawnAgent(sparkplugEnv(freshBroker.url));
    await agent.line(/Sparkplug births sent .*bdSeq=0/u);
    await freshBroker.kill();
    const again = await freshBroker.restart();
    const sub = await rawSubscriber(again.url, 'spBv1.0/#');
    subscribers.push(sub);
    await waitFor(() => sub.on('NBIRTH').length >= 1, 'the NBIRTH after the reconnect');
    expect(bdSeqOf(sub.on('NBIRTH')[0]!.payload)).toBe(1n);

    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    await waitFor(() => sub.on('NDEATH').length >= 1, 'the NDEATH');
    const topics = sub.messages.map((m) => m.topic.split('/')[2]);
    expect(topics.slice(-2)).toEqual(['DDEATH', 'NDEATH']);
    expect(bdSeqOf(sub.on('NDEATH')[0]!.payload)).toBe(1n);
    await again.stop();
  });

  it('waits for the primary host’s STATE online before its births, and dies and starts a new session (next bdSeq) while it is offline (SPARKPLUG_HOST_ID)', async ({
    broker,
  }) => {
    const sub = await rawSubscriber(broker.url, `spBv1.0/${GROUP}/+/host-aware/#`);
    subscribers.push(sub);
    const agent = spawnAgent(
      sparkplugEnv(broker.url, {
        SPARKPLUG_EDGE_NODE_ID: 'host-aware',
        SPARKPLUG_HOST_ID: 'scada',
      }),
    );
    const state = (online: boolean, timestamp: number) =>
      sub.client.publishAsync('spBv1.0/STATE/scada', encodeHostState({ online, timestamp }), {
        qos: 1,
        retain: true,
      });
    await agent.line(/waiting for the primary host to be online/u);
    expect(sub.on('NBIRTH')).toEqual([]);
    const t = Date.now();
    await state(true, t);
    await waitFor(() => sub.on('NBIRTH').length >= 1, 'the NBIRTH once the host is online');
    await waitFor(() => sub.on('DDATA').length >= 1, 'data while the host is online');

    expect(bdSeqOf(sub.on('NBIRTH')[0]!.payload)).toBe(0n);

    // The host goes offline: NDEATH (the will's bdSeq), then the agent ends its session (§5.4)…
    await state(false, t + 1);
    await waitFor(() => sub.on('NDEATH').length >= 1, 'the NDEATH when the host goes offline');
    expect(bdSeqOf(sub.on('NDEATH')[0]!.payload)).toBe(0n);
    await agent.line(/new MQTT session after the NDEATH/u);
    // …and births on the new session (the next bdSeq) only once the host is back.
    await state(true, t + 2);
    await waitFor(() => sub.on('NBIRTH').length >= 2, 'the births when the host is back');
    await waitFor(() => sub.on('DBIRTH').length >= 2, 'the DBIRTH when the host is back');
    expect(bdSeqOf(sub.on('NBIRTH')[1]!.payload)).toBe(1n);
    const types = sub.messages.map((m) => m.topic.split('/')[2]);
    const death = types.indexOf('NDEATH');
    // Nothing between the NDEATH and the new NBIRTH: no DATA, and no will of the ended session.
    expect(types.slice(death + 1, types.lastIndexOf('NBIRTH'))).toEqual([]);

    // The new session's will carries the new bdSeq.
    agent.child.kill('SIGKILL');
    await waitFor(() => sub.on('NDEATH').length >= 2, 'the NDEATH will of the new session', 60_000);
    expect(bdSeqOf(sub.on('NDEATH')[1]!.payload)).toBe(1n);
    await sub.client.publishAsync('spBv1.0/STATE/scada', '', { qos: 1, retain: true });
  });

  it.each([
    [{ SPARKPLUG_GROUP_ID: 'line/1' }, 'Invalid SPARKPLUG_GROUP_ID="line/1"'],
    [{ SPARKPLUG_EDGE_NODE_ID: 'a#' }, 'Invalid SPARKPLUG_EDGE_NODE_ID="a#"'],
    [{ PAYLOAD_COMPRESSION: 'gzip' }, 'Invalid PAYLOAD_COMPRESSION="gzip"'],
    [{ PAYLOAD_FORMAT: 'xml' }, 'Invalid PAYLOAD_FORMAT="xml"'],
    [{ CONNECTION_MODE: 'per-filler', FILLER_COUNT: '2' }, 'Invalid CONNECTION_MODE="per-filler"'],
  ])('stops with exit 2 naming the variable: %o', async (env, message) => {
    const agent = spawnAgent({ PAYLOAD_FORMAT: 'sparkplug', ...env });
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toContain(message);
  });
});
