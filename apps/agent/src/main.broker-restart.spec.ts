import { statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@ot-mqtt/broker';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { connect, type MqttClient } from 'mqtt';
import { afterEach, describe, expect } from 'vitest';
import { brokerEnv, killAll, spawnAgent, waitFor } from './agent-process.test-helper.js';

const mtimeMs = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/** Summary lines report the client's outbox depth: scans waiting for the broker. */
const outboxOf = (line: string): number => Number(/ outbox=(\d+)/.exec(line)?.[1] ?? -1);

// The project's own config, persistence on (it autosaves every 5 s).
const it = createBrokerTest({ persistence: true });

describe('agent when the broker is away or crashes', () => {
  let subscriber: MqttClient | undefined;
  afterEach(() => {
    killAll();
    subscriber?.end(true);
  });

  it('recovers without a restart after kill -9 of the broker and delivers the scans buffered meanwhile: no gap at a persistent subscriber', async ({
    freshBroker,
  }) => {
    let broker = freshBroker;
    const sequences: number[] = [];
    const sub = connect(broker.url, {
      clientId: 'agent-restart-test-subscriber',
      clean: false,
      reconnectPeriod: 250,
    });
    subscriber = sub;
    sub.on('message', (_topic, payload) => {
      sequences.push((JSON.parse(payload.toString()) as { sequence: number }).sequence);
    });
    await new Promise<void>((resolve, reject) =>
      sub.once('connect', () =>
        sub.subscribe('test/restart/data', { qos: 1 }, (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    );
    const subscribedAt = Date.now();

    const agent = spawnAgent({
      ...brokerEnv(broker),
      PUBLISH_INTERVAL: '0.2',
      SUMMARY_INTERVAL: '0.3',
      TOPIC_ROOT: 'test/restart',
    });
    await waitFor(() => sequences.length >= 5, 'five scans before the crash');
    // The subscriber's session must be on disk before the crash, or the restarted broker would not
    // know whom to queue for: a kill -9 loses everything since the last autosave.
    const db = join(broker.runDir, 'data', 'mosquitto.db');
    await waitFor(() => mtimeMs(db) > subscribedAt, 'an autosave after the subscription', 30_000);

    await broker.kill();
    const killedAt = agent.stdout.length;
    await agent.line(/connection lost/);
    // Keep scanning while offline: wait until at least three scans are buffered.
    await waitFor(
      () => agent.stdout.slice(killedAt).some((l) => l.includes(' summary ') && outboxOf(l) >= 21),
      'three scans buffered in the outbox while the broker is down',
    );
    const lastBeforeRestart = Math.max(
      ...agent.stdout
        .filter((l) => l.includes(' summary '))
        .map((l) => Number(/scans=(\d+)/.exec(l)?.[1])),
    );
    broker = await broker.restart();

    // Scan numbers start at 0; every scan up to well after the restart must arrive.
    const target = lastBeforeRestart + 5;
    await waitFor(
      () => sequences.some((s) => s >= target),
      `scan ${target} after the restart`,
      40_000,
    );
    const unique = new Set(sequences);
    const max = Math.max(...sequences);
    const missing = Array.from({ length: max + 1 }, (_, i) => i).filter((i) => !unique.has(i));
    expect(missing).toEqual([]);
    expect(agent.child.exitCode).toBeNull();
    expect(agent.stdout.filter((l) => /INFO\s+connected/.test(l)).length).toBeGreaterThanOrEqual(2);
  });

  it('bounds what it buffers while the broker is away: drops the oldest scans, says so without flooding the log, delivers the rest', async ({
    startBroker,
  }) => {
    const port = await freePort();
    const agent = spawnAgent({
      MQTT_BROKER_HOST: '127.0.0.1',
      MQTT_BROKER_PORT: String(port),
      PUBLISH_INTERVAL: '0.1',
      SUMMARY_INTERVAL: '0.3',
      OUTBOX_MAX_MESSAGES: '21', // three scans
      TOPIC_ROOT: 'test/bounded',
    });
    await waitFor(
      () => agent.stdout.some((l) => / summary .* dropped=([1-9]\d*) outbox=21 /.test(l)),
      'a full outbox dropping the oldest messages',
    );
    await startBroker({ ports: { 1883: port } });
    await agent.line(/INFO\s+connected/);
    const settled = await waitFor(
      () =>
        agent.stdout
          .filter((l) => / summary .*outbox=0 inFlight=0 .*state=connected/.test(l))
          .find((l) => Number(/acked=(\d+)/.exec(l)?.[1]) > 21),
      'the buffered scans delivered after the broker came up',
    );
    const n = (key: string) => Number(new RegExp(`${key}=(\\d+)`).exec(settled)?.[1]);
    expect(n('dropped')).toBeGreaterThan(0);
    expect(n('acked') + n('failed')).toBe(n('messages'));
    // Logged, but rate-limited: at most once per summary period, not once per dropped message.
    const warnings = agent.stderr.filter((l) => /publish failed .*code=DROPPED/.test(l)).length;
    expect(warnings).toBeGreaterThan(0);
    expect(warnings).toBeLessThan(n('dropped'));
  });
});
