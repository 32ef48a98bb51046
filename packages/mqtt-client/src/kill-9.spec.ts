import { startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';
import { afterEach, describe, expect, it } from 'vitest';
import { createMqttClient, type MqttClient, type MqttClientOptions } from './index.js';
import { probe, text, waitFor } from './test-support.test-helper.js';

const clients: MqttClient[] = [];
const brokers: RunningMosquitto[] = [];
const make = (options: MqttClientOptions) => {
  const c = createMqttClient(options);
  clients.push(c);
  return c;
};
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 500 })));
  await Promise.all(brokers.splice(0).map((b) => b.kill()));
});
const fast = { initialDelayMs: 50, maxDelayMs: 400 };

describe('reconnecting through broker crashes (kill -9, persistence on)', () => {
  it('kill -9 of the broker (3×) while 1,200 QoS 1 messages are published: every number the broker had not acknowledged arrives', async () => {
    // Mosquitto writes its database only at autosave or clean shutdown, so a kill -9 forgets every
    // message it acknowledged since the last save. `autosave_on_changes` + `autosave_interval 1`
    // saves after every change, which shrinks that window to the rest of one turn of its event loop
    // (it writes the PUBACKs of a turn before it saves); no client can recover what falls in it.
    // What the client must guarantee is the rest: whatever the broker had not acknowledged when it
    // died is kept and re-sent. So a missing number fails the test unless its PUBACK reached the
    // publisher before a kill, moments before it — the broker's loss, counted and shown.
    let broker = await startMosquitto({
      persistence: true,
      extra: 'autosave_on_changes true\nautosave_interval 1',
    });
    brokers.push(broker);
    const url = broker.url;
    const sub = make({ url, clientId: 'kill9-sub', reconnect: fast });
    const counts = new Map<number, number>();
    let probes = 0;
    sub.observe('kill9/seq', { qos: 1 }).subscribe((m) => {
      const body = text(m.payload);
      if (body === 'probe') probes++;
      else counts.set(Number(body), (counts.get(Number(body)) ?? 0) + 1);
    });
    const pub = make({ url, clientId: 'kill9-pub', reconnect: fast });
    await probe(pub, () => probes > 0, 'kill9/seq');
    const subSessions: boolean[] = [];
    let resubscribes = 0;
    sub.events$.subscribe((e) => {
      if (e.type === 'connected') subSessions.push(e.sessionPresent);
      if (e.type === 'resubscribed') resubscribes++;
    });

    const total = 1_200;
    const ackedAt = new Map<number, number>();
    const published = Array.from({ length: total }, (_, i) =>
      pub.publish('kill9/seq', String(i), { qos: 1 }).then(() => void ackedAt.set(i, Date.now())),
    );
    const killedAt: number[] = [];
    for (const at of [250, 550, 850]) {
      await waitFor(() => pub.stats().acknowledged >= at, `${at} acknowledged`);
      killedAt.push(Date.now());
      await broker.kill();
      broker = await broker.restart();
      brokers.push(broker);
    }
    await Promise.all(published);
    // Acknowledged before a kill (the broker's to keep) within a generous bound of its last turn.
    const lostByBroker = (i: number) =>
      killedAt.some((kill) => {
        const acked = ackedAt.get(i);
        return acked !== undefined && acked <= kill && kill - acked < 1_000;
      });
    const missing = () => Array.from({ length: total }, (_, i) => i).filter((i) => !counts.has(i));
    // Quiet: messages still on their way, and no missing number the client could have saved.
    await waitFor(
      () => missing().every(lostByBroker) && pub.stats().outboxDepth === 0,
      `every sequence number not lost by the broker`,
      30_000,
    ).catch((error: Error) => {
      console.info(
        `DEBUG missing ${missing().length}: ${missing().slice(0, 40).join(',')} sessions ${subSessions.join(',')} pub ${JSON.stringify(pub.stats())} sub ${JSON.stringify(sub.stats())}`,
      );
      throw error;
    });
    // Give the messages in transit the chance to arrive before reading what is missing.
    await waitFor(() => counts.size === total, 'the last messages', 2_000).catch(() => undefined);
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    const lost = missing();
    console.info(
      `kill -9 ×3: ${total} published, ${counts.size} distinct received, ${duplicates} duplicates, ` +
        `${lost.length} acknowledged by the broker and lost in its kill -9 (${lost.join(',') || 'none'}), ` +
        `publisher reconnects ${pub.stats().reconnects}, sent ${pub.stats().sent}, ` +
        `subscriber sessionPresent after restarts: ${subSessions.join(',')}`,
    );
    expect(lost.filter((i) => !lostByBroker(i))).toEqual([]);
    // The broker's window is one turn of its loop per kill: a handful of messages, never a range.
    expect(lost.length).toBeLessThanOrEqual(killedAt.length * 100);
    // The broker kept the subscriber's session (sessionPresent true): no SUBSCRIBE on top of it.
    expect(resubscribes).toBe(subSessions.filter((present) => !present).length);
    expect(pub.stats()).toMatchObject({ reconnects: 3, outboxDepth: 0, inFlight: 0 });
  });
});
