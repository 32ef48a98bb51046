import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerTest as it } from '@ot-mqtt/broker/testing';
import { parsePayload, TOPIC_KINDS } from '@ot-mqtt/tag-model';
import { afterEach, beforeAll, describe, expect, vi } from 'vitest';
import {
  assertBuilt,
  isRunning,
  killAll,
  ROOT,
  run,
  type Running,
} from './processes.test-helper.js';

// What the README's quick start does on a machine that already runs a broker (here, the system
// Mosquitto on 1883): `npm start` must use it, show live data, and on Ctrl-C stop its own
// processes — and leave the broker it did not start running. (infra/mosquitto/scripts/
// start-all.spec.ts covers npm start starting Mosquitto or the embedded broker itself.)
let start: Running | undefined;
/** The agent and viewer npm start reported: in process groups of their own, so killed by PID. */
let appPids: number[] = [];
beforeAll(assertBuilt);
afterEach(async () => {
  if (start?.alive()) process.kill(-start.pid, 'SIGKILL');
  for (const pid of appPids.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  await killAll();
});

describe('npm start next to a broker that already runs', () => {
  it('uses the running broker, shows live data that a third-party client sees too, and Ctrl-C ends every process it started but not the broker', async ({
    broker,
    mosquittoSub,
  }) => {
    const port = broker.ports[1883] ?? 0;
    const sub = await mosquittoSub({ url: broker.url, topics: ['plc/bottlefiller/#'] });
    const npm = run(
      'npm start',
      'npm',
      ['start', '--silent'],
      {
        HOME: process.env['HOME'] ?? tmpdir(),
        MQTT_BROKER_HOST: broker.host,
        MQTT_BROKER_PORT: String(port),
        MQTT_WS_PORT: String(broker.ports[9001] ?? 0),
        OT_MQTT_RUN_DIR: await mkdtemp(join(tmpdir(), 'ot-mqtt-e2e-start-')),
        // The suite runs after the build; rebuilding here would rewrite dist/ under other tests.
        OT_MQTT_SKIP_BUILD: '1',
        PUBLISH_INTERVAL: '0.2',
      },
      { cwd: ROOT, detached: true },
    );
    start = npm;
    const line = (pattern: RegExp, what: string) =>
      vi.waitFor(
        () => {
          const found = npm.stdout.find((l) => pattern.test(l));
          if (found === undefined) throw new Error(`${what}${npm.dump()}`);
          return found;
        },
        { timeout: 45_000, interval: 25 },
      );

    await line(/^\[broker\].*already answers.*using it/, 'npm start to reuse the broker');
    const running = await line(/^\[start\]\s+running: /, 'npm start to start its processes');
    const pids = [...running.matchAll(/(\w+) pid (\d+)/g)].map((m) => Number(m[2]));
    appPids = [...pids];
    // The gateway (history and the dashboard's files) joined npm start with issue 11.
    expect([...running.matchAll(/(\w+) pid/g)].map((m) => m[1]).sort()).toEqual([
      'agent',
      'gateway',
      'viewer',
    ]);
    // Live data in the terminal: the viewer's summary of a scan.
    await line(/^\[viewer\].*scan #\d+/, 'a scan summary from the viewer');
    // …and on the wire, the seed's seven topics, valid.
    const scan = await vi.waitFor(
      () => {
        // The seed's seven topics (beside them: connection, the PackML state, alarm events).
        const data = sub
          .messages()
          .filter((m) =>
            (TOPIC_KINDS as readonly string[]).includes(m.topic.slice('plc/bottlefiller/'.length)),
          );
        const kinds = new Set(data.map((m) => m.topic.split('/').pop()));
        if (!TOPIC_KINDS.every((k) => kinds.has(k)))
          throw new Error(`the seven topics at mosquitto_sub\n${sub.output()}${npm.dump()}`);
        return data;
      },
      { timeout: 30_000, interval: 25 },
    );
    for (const m of scan) expect(parsePayload(m.topic, m.payload).ok, m.payload).toBe(true);

    // Ctrl-C: the terminal signals the whole foreground process group.
    process.kill(-npm.pid, 'SIGINT');
    expect([0, 'SIGINT']).toContain(await npm.exit(30_000));
    await expect
      .poll(() => [...pids, -npm.pid].filter((pid) => isRunning(pid)), {
        timeout: 15_000,
        message: 'every process of npm start to end',
      })
      .toEqual([]);
    expect(
      npm.stdout.some((l) => /^\[start\]\s+stopped/.test(l)),
      npm.dump(),
    ).toBe(true);
    // The broker it found was not its to stop.
    expect(isRunning(broker.pid)).toBe(true);
    expect(sub.alive()).toBe(true);
  });
});
