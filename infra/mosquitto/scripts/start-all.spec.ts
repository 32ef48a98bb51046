import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterEach, describe, expect } from 'vitest';
import { isRunning, killAll, watch } from '../src/child-process.test-helper.js';
import { freePort } from '../src/free-port.js';
import { brokerTest as it } from '../src/testing/index.js';

// `npm start` as a user runs it, in its own process group like a terminal's foreground job, on
// ephemeral ports. The root `npm test` builds everything first; the build step is skipped here so
// this test never rewrites dist/ under other tests' feet.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

afterEach(killAll);

async function npmStart(env: Record<string, string>) {
  return watch('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      MQTT_BROKER_HOST: '127.0.0.1',
      OT_MQTT_RUN_DIR: await mkdtemp(join(tmpdir(), 'ot-mqtt-start-')),
      OT_MQTT_SKIP_BUILD: '1',
      PUBLISH_INTERVAL: '0.5',
      // The gateway (when the checkout has it): its own port and database per test.
      GATEWAY_PORT: String(await freePort()),
      HISTORIAN_DB: join(await mkdtemp(join(tmpdir(), 'ot-mqtt-start-db-')), 'historian.sqlite'),
      ...env,
    },
  });
}

describe('npm start', () => {
  // aedes: what a machine without Mosquitto gets ("no other software required").
  it.each([
    ['Mosquitto', 'mosquitto', ['agent', 'broker', 'gateway', 'viewer']],
    ['the embedded broker', 'aedes', ['agent', 'gateway', 'viewer']],
  ])(
    'shows live bottle-filler data with %s, agent and viewer, and Ctrl-C (SIGINT) ends every process',
    async (_name, choice, processes) => {
      const port = await freePort();
      let wsPort = await freePort();
      while (wsPort === port) wsPort = await freePort();
      const start = await npmStart({
        MQTT_BROKER_PORT: String(port),
        MQTT_WS_PORT: String(wsPort),
        OT_MQTT_BROKER: choice,
      });

      const running = await start.line(/^\[start\]\s+running: /, 30_000);
      const pids = [...running.matchAll(/(\w+) pid (\d+)/g)].map((m) => ({
        name: m[1] ?? '',
        pid: Number(m[2]),
      }));
      expect(pids.map((p) => p.name).sort()).toEqual(processes);
      // Live data: the viewer's summary of a complete scan, relayed with its prefix.
      await start.line(/^\[viewer\].*(scan #\d+|Fill level)/, 30_000);

      // Ctrl-C: the terminal signals the whole foreground process group (npm, the start script).
      const group = start.child.pid ?? 0;
      process.kill(-group, 'SIGINT');

      // npm ends the way a Ctrl-C'd program should (killed by SIGINT, or 0 if its child exited first).
      expect([0, 'SIGINT']).toContain(await start.exit(30_000));
      await start.line(/^\[start\]\s+stopped/, 30_000);
      await expect
        .poll(() => pids.filter(({ pid }) => isRunning(pid)).length + Number(isRunning(-group)), {
          timeout: 15_000,
          message: 'every process of npm start to end',
        })
        .toBe(0);
    },
  );

  it('uses an MQTT broker that already answers on the port (as a system Mosquitto on 1883 would)', async ({
    broker: existing,
  }) => {
    const start = await npmStart({
      MQTT_BROKER_PORT: String(existing.ports[1883]),
      MQTT_WS_PORT: String(await freePort()),
    });

    await start.line(
      /^\[broker\]\s+an MQTT broker already answers on mqtt:\/\/127\.0\.0\.1:\d+; using it/,
    );
    // That broker's own WebSocket port is not the one asked for: the dashboard gets a relay.
    const relayLine = await start.line(/^\[relay\]\s+the broker has no WebSocket listener/);
    const relayUrl = /relaying (ws:\/\/\S+)/.exec(relayLine)?.[1] ?? '';
    const browserSide = mqtt.connect(relayUrl, { protocolVersion: 5, reconnectPeriod: 200 });
    const scans: string[] = [];
    browserSide.on('message', (topic) => scans.push(topic));
    await browserSide.subscribeAsync('plc/bottlefiller/data');
    await expect.poll(() => scans.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await browserSide.endAsync();
    // The last line names the dashboard, served by the gateway with the relay as its broker URL.
    const dashboardLine = await start.line(/^\[start\]\s+dashboard: http/, 30_000);
    const dashboardUrl = /dashboard: (http\S+)/.exec(dashboardLine)?.[1] ?? '';
    await expect
      .poll(async () => (await fetch(dashboardUrl).catch(() => undefined))?.status, {
        timeout: 30_000,
      })
      .toBe(200);
    expect(await (await fetch(dashboardUrl)).text()).toContain('Filler line HMI');
    const config = (await (await fetch(`${dashboardUrl}dashboard-config.json`)).json()) as {
      mqttUrl?: string;
    };
    expect(config.mqttUrl).toBe(relayUrl);
    await start.line(/^\[viewer\].*(scan #\d+|Fill level)/, 30_000);
    process.kill(-(start.child.pid ?? 0), 'SIGINT');
    await start.line(/^\[start\]\s+stopped/, 30_000);
    expect(isRunning(existing.pid)).toBe(true); // not ours: left running
  });

  it("stops everything and exits with the agent's code 2 when the agent refuses its configuration", async () => {
    const start = await npmStart({
      MQTT_BROKER_PORT: String(await freePort()),
      MQTT_WS_PORT: String(await freePort()),
      OT_MQTT_BROKER: 'aedes',
      PUBLISH_INTERVAL: 'fast',
    });

    expect(await start.exit(30_000)).toBe(2);
    const output = start.lines.join('\n');
    expect(output).toMatch(/\[agent\].*PUBLISH_INTERVAL/);
    expect(output).toMatch(/the agent ended on its own \(exit code 2\); stopping everything/);
  });
});
