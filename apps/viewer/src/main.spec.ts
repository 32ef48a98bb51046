import { spawn } from 'node:child_process';
import { TOPIC_KINDS, encodeConnection, encodeScan } from '@ot-mqtt/tag-model';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, vi } from 'vitest';
import { exampleTags } from './fixtures.test-helper.js';
import { startViewer, viewerTest, type ViewerProcess } from './viewer-process.test-helper.js';

const T0 = Date.parse('2025-01-15T08:00:00.000Z');
const viewers: ViewerProcess[] = [];
const launch = (env: Record<string, string>, args: string[] = []) => {
  const v = startViewer(env, args);
  viewers.push(v);
  return v;
};
afterEach(async () => {
  await Promise.all(viewers.splice(0).map((v) => v.stop()));
});

/** The seven messages of scan `sequence` under `root`, stamped on a 2 s grid. */
const scan = (root: string, sequence: number, machineId = 'filler-01', timestamp?: number) =>
  encodeScan(exampleTags(), {
    machineId,
    sequence,
    timestamp: new Date(timestamp ?? T0 + sequence * 2000),
    root,
  });

async function publishAll(
  client: MqttClient,
  messages: readonly { topic: string; payload: string | Buffer }[],
  retain = false,
): Promise<void> {
  for (const m of messages) await client.publishAsync(m.topic, m.payload, { qos: 1, retain });
}

/**
 * The broker fixtures, one publisher for the file's broker, and `ndjsonViewer(root, env?)`: an
 * NDJSON viewer on its own topic root, resolved once its subscription is live.
 */
const it = viewerTest.extend('ndjsonViewer', async ({ broker, publisher }) => {
  return async (root: string, env: Record<string, string> = {}) => {
    const viewer = launch(
      { MQTT_URL: broker.url, TOPIC_ROOT: root, VIEWER_STATS_INTERVAL: '0', ...env },
      ['--ndjson'],
    );
    // The retained connection topic arrives as soon as the subscription is in place.
    await publishAll(
      publisher,
      [encodeConnection('online', { machineId: 'filler-01', root, publishIntervalMs: 2000 })],
      true,
    );
    await viewer.waitForRecord(
      (r) => r['kind'] === 'connection',
      'the retained connection message',
    );
    return viewer;
  };
});

describe('viewer process: configuration', () => {
  it.each([
    ['MQTT_BROKER_PORT', 'abc'],
    ['VIEWER_MODE', 'fancy'],
    ['VIEWER_TOPIC', 'plc/#/data'],
    ['LOG_LEVEL', 'loud'],
    ['MQTT_CA_FILE', '/nonexistent/ca.pem'],
  ])('stops with exit code 2 when %s=%s, naming the variable and value', async (name, value) => {
    const viewer = launch({ [name]: value });
    expect(await viewer.exited).toBe(2);
    const text = viewer.stderr.join('\n');
    expect(text).toContain(name);
    expect(text).toContain(value);
    expect(viewer.stdout).toEqual([]);
  });

  it('lists every variable with its default on --help and exits 0', async () => {
    const viewer = launch({}, ['--help']);
    expect(await viewer.exited).toBe(0);
    const text = viewer.stdout.join('\n');
    for (const name of ['MQTT_BROKER_HOST', 'MQTT_BROKER_PORT', 'VIEWER_TOPIC', 'VIEWER_MODE'])
      expect(text).toContain(name);
    expect(text).toContain('default: plc/bottlefiller');
  });
});

describe('viewer process against Mosquitto', () => {
  it('shows the retained connection topic and every topic of a scan as valid NDJSON', async ({
    publisher,
    ndjsonViewer,
  }) => {
    const root = 'valid/plc/bottlefiller';
    const viewer = await ndjsonViewer(root);
    expect(viewer.records()[0]).toMatchObject({
      topic: `${root}/connection`,
      kind: 'connection',
      machineId: 'filler-01',
      retain: true,
      payload: { status: 'online', publishIntervalMs: 2000 },
    });
    expect(
      await viewer.waitForEvent(
        (e) => e['event'] === 'connection' && e['machineId'] === 'filler-01',
        'online event',
      ),
    ).toMatchObject({ status: 'online', retained: true });

    await publishAll(publisher, scan(root, 1));
    await viewer.waitForRecord((r) => r['kind'] === 'alarms', 'the alarms message of scan 1');
    const records = viewer.records().filter((r) => r['sequence'] === 1);
    expect(records.map((r) => r['kind'])).toEqual([...TOPIC_KINDS]);
    for (const r of records) {
      expect(r).toMatchObject({ machineId: 'filler-01', qos: 1, retain: false });
      expect(r).not.toHaveProperty('error');
      expect(Date.parse(r['receivedAt'] as string)).not.toBeNaN();
    }
    expect(records[3]).toMatchObject({ payload: { tags: { FillLevel: 63.4 } } });
  });

  it('receives the same over the WebSocket listener (port 9001 in the config)', async ({
    broker,
    publisher,
    ndjsonViewer,
  }) => {
    const root = 'ws/plc/bottlefiller';
    const viewer = await ndjsonViewer(root, { MQTT_URL: `ws://127.0.0.1:${broker.ports[9001]}` });
    await publishAll(publisher, scan(root, 9));
    await viewer.waitForRecord(
      (r) => r['kind'] === 'alarms' && r['sequence'] === 9,
      'scan 9 over ws',
    );
    expect(viewer.records().filter((r) => r['sequence'] === 9 && !('error' in r))).toHaveLength(7);
    expect(viewer.events()[0]?.['url']).toMatch(/^ws:\/\/127\.0\.0\.1:\d+/);
  });

  it('reports malformed, binary, oversized and wrong-schema messages once each and keeps showing valid data', async ({
    broker,
    publisher,
    ndjsonViewer,
  }) => {
    const root = 'bad/plc/bottlefiller';
    const viewer = await ndjsonViewer(root);
    const analog = scan(root, 3)[3]!;
    await publishAll(publisher, [
      { topic: `${root}/data`, payload: '{"schemaVersion":1,"timestamp":' },
      { topic: `${root}/analog`, payload: Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x81]) },
      { topic: `${root}/data`, payload: `{"x":"${'a'.repeat(300 * 1024)}"}` },
      {
        topic: analog.topic,
        payload: analog.payload.replace('"FillLevel":63.4', '"FillLevel":150'),
      },
    ]);
    // A third-party tool's malformed message, too.
    await new Promise<void>((resolve, reject) => {
      const pub = spawn('mosquitto_pub', [
        '-h',
        '127.0.0.1',
        '-p',
        String(broker.ports[1883]),
        '-q',
        '1',
        '-t',
        `${root}/status`,
        '-m',
        'hello',
      ]);
      pub.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}`)),
      );
    });
    await publishAll(publisher, scan(root, 4));
    await viewer.waitForRecord(
      (r) => r['kind'] === 'alarms' && r['sequence'] === 4,
      'the scan after the bad messages',
    );

    const errors = viewer.records().filter((r) => 'error' in r) as {
      topic: string;
      error: { path: string; message: string; bytes: number };
    }[];
    expect(errors).toHaveLength(5);
    const [notJson, binary, huge, outOfRange, text] = errors;
    expect(notJson!.error.message).toMatch(/not JSON/);
    expect(binary).toMatchObject({ topic: `${root}/analog`, error: { bytes: 5 } });
    expect(binary!.error.message).toMatch(/binary/);
    expect(huge!.error.message).toMatch(/too large/);
    expect(huge!.error.bytes).toBeGreaterThan(300 * 1024);
    expect(JSON.stringify(huge).length).toBeLessThan(1000);
    expect(outOfRange!.error).toMatchObject({ path: 'tags.FillLevel' });
    expect(outOfRange!.error.message).toMatch(/out of range/);
    expect(text).toMatchObject({ topic: `${root}/status` });
    expect(viewer.child.exitCode).toBeNull();
    expect(viewer.records().filter((r) => r['sequence'] === 4 && !('error' in r))).toHaveLength(7);
  });

  it('reports gaps, duplicates, agent restarts, and a stale machine that later resumes', async ({
    publisher,
    ndjsonViewer,
  }) => {
    const root = 'track/plc/bottlefiller';
    const viewer = await ndjsonViewer(root);
    // Announce a short interval so "stale" (2 intervals of silence) comes quickly.
    await publishAll(publisher, [
      encodeConnection('online', { machineId: 'filler-01', root, publishIntervalMs: 300 }),
    ]);
    const data = (sequence: number, timestamp?: number) =>
      scan(root, sequence, 'filler-01', timestamp).slice(0, 1);
    await publishAll(publisher, [...data(10), ...data(11), ...data(14), ...data(14)]);
    expect(await viewer.waitForEvent((e) => e['event'] === 'gap', 'gap event')).toMatchObject({
      from: 12,
      to: 13,
      missing: 2,
    });
    expect(
      await viewer.waitForEvent((e) => e['event'] === 'duplicate', 'duplicate event'),
    ).toMatchObject({ sequence: 14 });
    expect(await viewer.waitForEvent((e) => e['event'] === 'stale', 'stale event')).toMatchObject({
      machineId: 'filler-01',
      intervalMs: 300,
    });
    // The agent restarts: sequence from 0, clock moved on.
    await publishAll(publisher, data(0, T0 + 60_000));
    expect(
      await viewer.waitForEvent((e) => e['event'] === 'resumed', 'resumed event'),
    ).toMatchObject({ machineId: 'filler-01' });
    expect(await viewer.waitForEvent((e) => e['event'] === 'reset', 'reset event')).toMatchObject({
      previous: 14,
      sequence: 0,
    });
  });

  it('prints plain pretty JSON when piped, and a summary of each scan in summary mode', async ({
    broker,
    publisher,
  }) => {
    const root = 'human/plc/bottlefiller';
    const pretty = launch({ MQTT_URL: broker.url, TOPIC_ROOT: root, VIEWER_STATS_INTERVAL: '0' });
    const summary = launch({
      MQTT_URL: broker.url,
      TOPIC_ROOT: root,
      VIEWER_STATS_INTERVAL: '0',
      VIEWER_MODE: 'summary',
    });
    const online = encodeConnection('online', { machineId: 'filler-01', root });
    await publishAll(publisher, [online], true);
    await pretty.waitForText('agent ONLINE');
    await summary.waitForText('agent ONLINE');
    await publishAll(publisher, scan(root, 7));
    await pretty.waitForText(`${root}/alarms  filler-01 #7`);
    await summary.waitForText('State     RUNNING · AUTO · filling');
    await summary.waitForText('Alarms    none');
    expect(pretty.stdout.join('\n')).toContain('"FillLevel": 63.4');
    expect(pretty.stdout.join('\n')).toMatch(/connected to mqtt:\/\/127\.0\.0\.1:\d+/);
    for (const v of [pretty, summary]) expect(v.stdout.join('\n')).not.toContain('\u001b[');
    expect(summary.stdout.join('\n')).toContain('Fill level 63.4 %');
  });

  it('keeps a persistent session with MQTT_CLIENT_ID: scans published while it was away arrive when it returns', async ({
    broker,
    publisher,
    ndjsonViewer,
  }) => {
    const root = 'session/plc/bottlefiller';
    const env = { MQTT_CLIENT_ID: 'viewer-spec-session' };
    const first = await ndjsonViewer(root, env);
    await publishAll(publisher, scan(root, 1).slice(0, 1));
    await first.waitForRecord((r) => r['sequence'] === 1, 'scan 1');
    expect(await first.stop()).toBe(0);

    await publishAll(publisher, [...scan(root, 2).slice(0, 1), ...scan(root, 3).slice(0, 1)]);
    const second = launch(
      { MQTT_URL: broker.url, TOPIC_ROOT: root, VIEWER_STATS_INTERVAL: '0', ...env },
      ['--ndjson'],
    );
    await second.waitForRecord((r) => r['sequence'] === 3, 'scan 3, queued by the broker');
    expect(
      second
        .records()
        .filter((r) => r['kind'] === 'data')
        .map((r) => r['sequence']),
    ).toEqual([2, 3]);
    expect(second.events().find((e) => e['status'] === 'connected')).toMatchObject({
      sessionPresent: true,
    });
  });

  it('splits a shared subscription between two viewers with no message lost or doubled', async ({
    broker,
    publisher,
  }) => {
    const root = 'share/plc/bottlefiller';
    const env = {
      MQTT_URL: broker.url,
      TOPIC_ROOT: root,
      VIEWER_TOPIC: `$share/viewers/${root}/#`,
      VIEWER_STATS_INTERVAL: '0',
    };
    const a = launch(env, ['--ndjson']);
    const b = launch(env, ['--ndjson']);
    // Shared subscriptions get no retained messages: probe until both receive live ones.
    const sequencesOf = (v: ViewerProcess) => v.records().map((r) => r['sequence'] as number);
    const received = () => sequencesOf(a).length + sequencesOf(b).length;
    let probe = 1000;
    await vi.waitFor(
      async () => {
        const before = received();
        await publishAll(publisher, scan(root, probe++).slice(0, 1));
        // Before both members have subscribed a probe may go to nobody: then send another.
        await vi
          .waitFor(() => expect(received()).toBeGreaterThan(before), { timeout: 1000 })
          .catch(() => undefined);
        if (sequencesOf(a).length === 0 || sequencesOf(b).length === 0)
          throw new Error('share members never both received a message');
      },
      { timeout: 30_000, interval: 0 },
    );
    const messages = Array.from({ length: 100 }, (_, i) => scan(root, i + 1)[0]!);
    await publishAll(publisher, messages);
    const wanted = (s: number) => s >= 1 && s <= 100;
    await expect
      .poll(() => [...sequencesOf(a), ...sequencesOf(b)].filter(wanted).length, {
        timeout: 30_000,
        message: '100 messages across the share',
      })
      .toBeGreaterThanOrEqual(100);
    const all = [...sequencesOf(a), ...sequencesOf(b)].filter(wanted).sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sequencesOf(a).filter(wanted).length).toBeGreaterThan(10);
    expect(sequencesOf(b).filter(wanted).length).toBeGreaterThan(10);
    // Each member sees gaps by design; it must not call them losses.
    expect([...a.events(), ...b.events()].filter((e) => e['event'] === 'gap')).toEqual([]);
  });
});

describe('viewer process across a broker crash', () => {
  it('recovers after kill -9 and restart of the broker, resubscribing without being restarted', async ({
    freshBroker,
  }) => {
    let broker = freshBroker;
    {
      const root = 'crash/plc/bottlefiller';
      const viewer = launch(
        { MQTT_URL: broker.url, TOPIC_ROOT: root, VIEWER_STATS_INTERVAL: '0' },
        ['--ndjson'],
      );
      let publisher = await connectAsync(broker.url, { reconnectPeriod: 0 });
      await publishAll(
        publisher,
        [encodeConnection('online', { machineId: 'filler-01', root })],
        true,
      );
      await viewer.waitForRecord((r) => r['kind'] === 'connection', 'the connection message');
      await publishAll(publisher, scan(root, 1).slice(0, 1));
      await viewer.waitForRecord((r) => r['sequence'] === 1, 'scan 1');
      publisher.end(true);

      await broker.kill();
      await viewer.waitForEvent((e) => e['status'] === 'reconnecting', 'the reconnecting state');
      broker = await broker.restart();
      await viewer.waitForEvent(
        (e) =>
          e['status'] === 'connected' &&
          viewer.events().filter((x) => x['status'] === 'connected').length >= 2,
        'connected again',
        60_000,
      );
      publisher = await connectAsync(broker.url, { reconnectPeriod: 0 });
      // Retained, so it arrives whether the resubscription came before or after it.
      await publishAll(publisher, scan(root, 2).slice(0, 1), true);
      await viewer.waitForRecord((r) => r['sequence'] === 2, 'scan 2 after the restart', 30_000);
      await publishAll(publisher, scan(root, 3).slice(0, 1));
      await viewer.waitForRecord(
        (r) => r['sequence'] === 3 && r['retain'] === false,
        'live scan 3 after the restart',
        30_000,
      );
      await publisher.endAsync();
      expect(viewer.child.exitCode).toBeNull();
      expect(await viewer.stop()).toBe(0);
    }
  });
});
