import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as mqttConnect, connectAsync, type IConnackPacket, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, vi } from 'vitest';
import { CONFIG_DIR, type RunningMosquitto } from './start-mosquitto.js';
import { brokerTest as it } from './testing/index.js';

// These tests measure the claims the comments of config/mosquitto.conf make, against Mosquitto's
// defaults, with raw mqtt.js clients (MQTT 3.1.1, as the agent and viewer use).

const OUR_CONFIG = join(CONFIG_DIR, 'mosquitto.conf');

/** Our config with some settings removed, so Mosquitto falls back to its built-in defaults. */
async function configWithDefaultsFor(keys: readonly string[]): Promise<string> {
  const text = await readFile(OUR_CONFIG, 'utf8');
  const kept = text
    .split('\n')
    .filter((line) => !keys.includes(line.trim().split(/\s+/)[0] ?? ''))
    .join('\n');
  const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-defaults-'));
  const file = join(dir, 'mosquitto.conf');
  await writeFile(file, kept);
  return file;
}

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});

async function connect(url: string, clientId?: string): Promise<MqttClient> {
  const client = await connectAsync(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...(clientId === undefined ? {} : { clientId, clean: false }),
  });
  clients.push(client);
  return client;
}

/** A persistent-session subscriber that subscribes at QoS 1, then goes offline. */
async function leavePersistentSubscriber(url: string, clientId: string, filter: string) {
  const sub = await connect(url, clientId);
  await sub.subscribeAsync(filter, { qos: 1 });
  await sub.endAsync();
}

async function publishNumbered(url: string, topic: string, count: number): Promise<void> {
  const pub = await connect(url);
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) sends.push(pub.publishAsync(topic, String(i), { qos: 1 }));
  await Promise.all(sends);
  await pub.endAsync();
}

/**
 * Reconnects the persistent subscriber and collects what the broker had queued for it. The end is
 * found with a marker published once the first queued message arrived: the broker appends it
 * behind everything it still holds for this client, so every queued message comes before it.
 */
async function drainQueue(url: string, clientId: string, topic: string) {
  const received: string[] = [];
  let markerSeen = false;
  // Listeners go on before the CONNACK: queued messages may follow it in the same TCP segment.
  const sub = mqttConnect(url, { protocolVersion: 4, reconnectPeriod: 0, clientId, clean: false });
  clients.push(sub);
  sub.on('message', (_topic, payload) => {
    const text = payload.toString();
    if (text === 'marker') markerSeen = true;
    else received.push(text);
  });
  const connack = await new Promise<IConnackPacket>((resolve, reject) => {
    sub.once('connect', resolve);
    sub.once('error', reject);
  });
  if (connack.sessionPresent) {
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 10_000 });
    const pub = await connect(url);
    await pub.publishAsync(topic, 'marker', { qos: 1 });
    await vi.waitFor(() => expect(markerSeen, 'the marker behind the queued messages').toBe(true), {
      timeout: 30_000,
    });
  }
  return { sessionPresent: connack.sessionPresent, received };
}

const numbers = (count: number) => Array.from({ length: count }, (_, i) => String(i));

/**
 * A persistent subscriber goes offline, `count` numbered messages are published for it, then
 * `meanwhile` runs (a crash and restart: it returns the broker to reconnect to) and the
 * subscriber drains its queue.
 */
async function queueWhileOffline(
  broker: RunningMosquitto,
  count: number,
  meanwhile: (broker: RunningMosquitto) => Promise<RunningMosquitto> = async (b) => b,
) {
  await leavePersistentSubscriber(broker.url, 'historian-1', 'plc/bottlefiller/#');
  await publishNumbered(broker.url, 'plc/bottlefiller/data', count);
  const after = await meanwhile(broker);
  return drainQueue(after.url, 'historian-1', 'plc/bottlefiller/data');
}

describe('config/mosquitto.conf: queue limits', () => {
  // 5,000 QoS 1 messages are 24 minutes of one filler (7 messages per 2 s scan) for a historian
  // or viewer that is offline with a persistent session.
  const COUNT = 5_000;

  it("with Mosquitto's default max_queued_messages (1000), an offline QoS 1 subscriber silently loses all but the oldest 1000", async ({
    startBroker,
  }) => {
    const broker = await startBroker({
      configFile: await configWithDefaultsFor(['max_queued_messages', 'max_queued_bytes']),
    });
    const { sessionPresent, received } = await queueWhileOffline(broker, COUNT);

    expect(sessionPresent).toBe(true);
    expect(received).toEqual(numbers(1000));
    expect(await broker.readLog()).toContain(
      'Outgoing messages are being dropped for client historian-1',
    );
  });

  it('with our config, an offline QoS 1 subscriber receives every message queued for it, in order', async ({
    startBroker,
  }) => {
    const broker = await startBroker({ configFile: OUR_CONFIG });
    const { sessionPresent, received } = await queueWhileOffline(broker, COUNT);

    expect(sessionPresent).toBe(true);
    expect(received).toEqual(numbers(COUNT));
    expect(await broker.readLog()).not.toContain('being dropped');
  });
});

describe('config/mosquitto.conf: persistence across a crash', () => {
  const COUNT = 200;
  const crash = async (broker: RunningMosquitto) => {
    await broker.kill();
    return broker.restart();
  };

  /** Resolves once Mosquitto has written its database after `sinceMs` (it saves synchronously). */
  async function waitForAutosave(broker: RunningMosquitto, sinceMs: number, timeoutMs: number) {
    const db = join(broker.runDir, 'data', 'mosquitto.db');
    await expect
      .poll(async () => (await stat(db).catch(() => undefined))?.mtimeMs ?? 0, {
        timeout: timeoutMs,
        message: 'the next autosave of mosquitto.db',
      })
      .toBeGreaterThan(sinceMs);
  }

  it("with Mosquitto's default autosave_interval (1800 s), a kill -9 forgets the persistent session and its queued messages", async ({
    startBroker,
  }) => {
    const broker = await startBroker({
      configFile: await configWithDefaultsFor(['autosave_interval', 'autosave_on_changes']),
    });
    const { sessionPresent, received } = await queueWhileOffline(broker, COUNT, crash);

    expect(sessionPresent).toBe(false);
    expect(received).toEqual([]);
  });

  it('with our config (autosave every 5 s), the session and its queued messages survive a kill -9 once the next autosave ran', async ({
    startBroker,
  }) => {
    const broker = await startBroker({ configFile: OUR_CONFIG });
    const { sessionPresent, received } = await queueWhileOffline(broker, COUNT, async (b) => {
      // The loss window: what was queued after the last save is gone after a crash. Wait it out.
      await waitForAutosave(b, Date.now(), 15_000);
      return crash(b);
    });

    expect(sessionPresent).toBe(true);
    expect(received).toEqual(numbers(COUNT));
  });
});
