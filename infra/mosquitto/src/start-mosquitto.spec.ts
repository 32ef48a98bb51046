import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { canConnect } from './wait-for-port.js';
import { brokerTest as it } from './testing/index.js';

describe('startMosquitto', () => {
  it('starts the development config on ephemeral loopback ports and stops by PID', async ({
    freshBroker: broker,
  }) => {
    expect(broker.ports[1883]).not.toBe(1883);
    expect(await canConnect(broker.ports[1883]!)).toBe(true);
    expect(await canConnect(broker.ports[9001]!)).toBe(true);
    await broker.stop();
    expect(await canConnect(broker.ports[1883]!)).toBe(false);
  });

  it('restarts on the same ports after a kill -9', async ({ startBroker }) => {
    const first = await startBroker({ persistence: true });
    await first.kill();
    const broker = await first.restart();
    expect(broker.ports).toEqual(first.ports);
    expect(await canConnect(broker.ports[1883]!)).toBe(true);
  });

  it('gives the URL of each listener by its protocol: url for MQTT, wsUrl for WebSockets', async ({
    broker,
  }) => {
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.ports[1883]}`);
    expect(broker.wsUrl).toBe(`ws://127.0.0.1:${broker.ports[9001]}`);
    expect(broker.urls[9001]).toBe(broker.wsUrl);
  });

  it('reads include_dir files (as Mosquitto would) so their listeners get ephemeral ports too', async ({
    startBroker,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'ot-mqtt-include-'));
    await mkdir(join(dir, 'conf.d'));
    await writeFile(
      join(dir, 'mosquitto.conf'),
      'listener 1883\nallow_anonymous true\ninclude_dir /mosquitto/config/conf.d\n',
    );
    await writeFile(join(dir, 'conf.d', 'ws.conf'), 'listener 8080\nprotocol websockets\n');
    await writeFile(join(dir, 'conf.d', 'ignored.txt'), 'listener 7000\n');
    const broker = await startBroker({ configFile: join(dir, 'mosquitto.conf') });
    expect(Object.keys(broker.ports).sort()).toEqual(['1883', '8080']);
    expect(broker.wsUrl).toBe(`ws://127.0.0.1:${broker.ports[8080]}`);
    expect(await canConnect(broker.ports[8080]!)).toBe(true);
  });
});
