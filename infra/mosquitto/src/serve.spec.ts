import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect } from 'vitest';
import { isRunning, killAll, watch } from './child-process.test-helper.js';
import { freePort } from './free-port.js';
import { brokerTest as it } from './testing/index.js';

// `npx nx serve broker` runs dist/serve.js; the tests run the same entry point from source (tsx),
// so they never depend on a stale build.
const SERVE = join(dirname(fileURLToPath(import.meta.url)), 'serve.ts');

function serve(env: Record<string, string>) {
  return watch(process.execPath, ['--import', 'tsx', SERVE], {
    env: { ...process.env, ...env },
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  killAll();
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** Round trip over one listener: subscribe, publish, receive. */
async function roundTrip(url: string): Promise<string> {
  const sub = await connectAsync(url, { reconnectPeriod: 0 });
  const pub = await connectAsync(url, { reconnectPeriod: 0 });
  cleanups.push(
    () => sub.endAsync(true),
    () => pub.endAsync(true),
  );
  const received = new Promise<string>((resolve) =>
    sub.on('message', (_topic, payload) => resolve(payload.toString())),
  );
  await sub.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
  await pub.publishAsync('plc/bottlefiller/data', 'hello', { qos: 1 });
  return received;
}

async function ephemeralPorts() {
  const port = await freePort();
  let wsPort = await freePort();
  while (wsPort === port) wsPort = await freePort();
  return { MQTT_BROKER_PORT: String(port), MQTT_WS_PORT: String(wsPort) };
}

describe('npx nx serve broker', () => {
  it('starts Mosquitto with the project config on the given TCP and WebSocket ports, says so in one line, and SIGTERM ends it', async () => {
    const ports = await ephemeralPorts();
    const runDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-serve-'));
    const broker = serve({ ...ports, OT_MQTT_RUN_DIR: runDir });

    const notice = await broker.line(/^broker: /);
    expect(notice).toMatch(/mosquitto version 2\.\d+\.\d+/);
    expect(notice).toContain(`mqtt://127.0.0.1:${ports.MQTT_BROKER_PORT}`);
    expect(notice).toContain(`ws://127.0.0.1:${ports.MQTT_WS_PORT}`);
    const pid = Number(/pid (\d+)/.exec(notice)?.[1]);
    expect(await roundTrip(`mqtt://127.0.0.1:${ports.MQTT_BROKER_PORT}`)).toBe('hello');
    expect(await roundTrip(`ws://127.0.0.1:${ports.MQTT_WS_PORT}`)).toBe('hello');

    broker.child.kill('SIGTERM');
    expect(await broker.exit()).toBe(0);
    expect(isRunning(pid)).toBe(false);
  });

  it('runs the embedded aedes broker on TCP and WebSocket when OT_MQTT_BROKER=aedes, and SIGINT ends it', async () => {
    const ports = await ephemeralPorts();
    const broker = serve({ ...ports, OT_MQTT_BROKER: 'aedes' });

    const notice = await broker.line(/^broker: /);
    expect(notice).toContain('embedded aedes');
    expect(await roundTrip(`mqtt://127.0.0.1:${ports.MQTT_BROKER_PORT}`)).toBe('hello');
    expect(await roundTrip(`ws://127.0.0.1:${ports.MQTT_WS_PORT}`)).toBe('hello');

    broker.child.kill('SIGINT');
    expect(await broker.exit()).toBe(0);
  });

  it('uses an MQTT broker that already answers on the port instead of starting another, and exits 0', async ({
    broker: existing,
  }) => {
    const { MQTT_WS_PORT } = await ephemeralPorts();
    const broker = serve({ MQTT_BROKER_PORT: String(existing.ports[1883]), MQTT_WS_PORT });

    expect(await broker.exit()).toBe(0);
    expect(broker.lines.join('\n')).toContain(
      `an MQTT broker already answers on mqtt://127.0.0.1:${existing.ports[1883]}; using it`,
    );
    // The probe said goodbye with a DISCONNECT; the existing broker still serves.
    expect(await roundTrip(existing.url)).toBe('hello');
  });

  it.each([
    ['stays silent', (socket: Socket) => void socket],
    ['answers with HTTP', (socket: Socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')],
  ])(
    'stops with exit code 1 and says so when a non-MQTT program that %s holds the port',
    async (_name, onConnection) => {
      const sockets = new Set<Socket>();
      const server: Server = createServer((socket) => {
        sockets.add(socket);
        onConnection(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(
        () =>
          new Promise((resolve) => {
            for (const socket of sockets) socket.destroy();
            server.close(resolve);
          }),
      );
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const { MQTT_WS_PORT } = await ephemeralPorts();

      const broker = serve({ MQTT_BROKER_PORT: String(port), MQTT_WS_PORT });

      expect(await broker.exit()).toBe(1);
      expect(broker.lines.join('\n')).toContain(
        `port ${port} on 127.0.0.1 is held by a program that is not an MQTT broker`,
      );
    },
  );

  it('rejects a bad MQTT_BROKER_PORT with exit code 2, naming the variable, the value and what is allowed', async () => {
    const broker = serve({ MQTT_BROKER_PORT: '70000' });
    expect(await broker.exit()).toBe(2);
    expect(broker.lines.join('\n')).toContain(
      'MQTT_BROKER_PORT="70000" is not a TCP port; allowed: an integer from 1 to 65535',
    );
  });
});
