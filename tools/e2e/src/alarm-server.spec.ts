import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brokerTest as it, mosquittoPub, type MosquittoSub } from '@ot-mqtt/broker/testing';
import { AlarmEventPayloadSchema, type AlarmEventPayload } from '@ot-mqtt/tag-model';
import { afterEach, beforeAll, describe, expect, onTestFinished, vi } from 'vitest';
import {
  assertAlive,
  assertBuilt,
  killAll,
  ROOT,
  run,
  startAgent,
  type Running,
} from './processes.test-helper.js';

// The gateway as alarm server, end to end: the built agent simulating a filler, the built gateway
// (SQLite) storing its scans and running the alarm lifecycle, commands sent with mosquitto_pub as
// an HMI would, and alarm events watched by mosquitto_sub. Each test has its own topic root,
// client ids and database.
const GATEWAY_MAIN = resolve(ROOT, 'apps', 'gateway', 'dist', 'main.js');
const OPERATOR = 'e2e-operator-token-0123';
const poll = (timeout: number) => ({ timeout, interval: 50 });

beforeAll(() => {
  assertBuilt();
  if (!existsSync(GATEWAY_MAIN))
    throw new Error(`${GATEWAY_MAIN} is missing: run \`npx nx build gateway\` first`);
});
afterEach(killAll);

interface Stack {
  readonly root: string;
  readonly agent: Running;
  gateway: Running;
  url: string;
  readonly events: MosquittoSub;
  readonly replies: MosquittoSub;
  /** Sends a command (retried until the agent's reply to it arrives); resolves with the reply. */
  command(command: string, fault?: string): Promise<Record<string, unknown>>;
  /** GET an API path, JSON. */
  get(path: string): Promise<unknown>;
  /** POST an acknowledgement. */
  ack(alarm: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The alarm events seen so far, validated against the tag model's schema. */
  seen(): AlarmEventPayload[];
  /** Restarts the gateway on the same database. */
  restartGateway(): Promise<void>;
}

async function startGateway(
  env: Record<string, string>,
): Promise<{ gateway: Running; url: string }> {
  const gateway = run('gateway', process.execPath, [GATEWAY_MAIN], env);
  const url = await vi.waitFor(() => {
    expect(gateway.alive(), `gateway ended${gateway.dump()}`).toBe(true);
    const m = /gateway listening on (http:\/\/[^\s"]+)/u.exec(
      [...gateway.stdout, ...gateway.stderr].join('\n'),
    );
    if (!m?.[1]) throw new Error(`gateway to listen${gateway.dump()}`);
    return m[1];
  }, poll(45_000));
  return { gateway, url };
}

async function startStack(
  name: string,
  broker: { url: string },
  mosquittoSub: (o: {
    url: string;
    topics: readonly string[];
    qos?: 0 | 1 | 2;
  }) => Promise<MosquittoSub>,
): Promise<Stack> {
  const root = `e2e/alarms-${name}/plc/bottlefiller`;
  const dir = mkdtempSync(join(tmpdir(), 'e2e-alarms-'));
  // The stack's processes are killed by afterEach; its folder goes when the test ends.
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const events = await mosquittoSub({ url: broker.url, topics: [`${root}/alarms/events`], qos: 1 });
  const replies = await mosquittoSub({
    url: broker.url,
    topics: [`${root}/command/reply`],
    qos: 1,
  });
  const gatewayEnv = {
    MQTT_URL: broker.url,
    TOPIC_ROOT: root,
    MQTT_CLIENT_ID: `e2e-gw-${name}`,
    GATEWAY_SHARE_GROUP: `e2e-${name}`,
    GATEWAY_PORT: '0',
    HISTORIAN_DB: join(dir, 'historian.sqlite'),
    GATEWAY_OPERATOR_TOKEN: OPERATOR,
  };
  let { gateway, url } = await startGateway(gatewayEnv);
  const agent = startAgent({
    MQTT_URL: broker.url,
    TOPIC_ROOT: root,
    MQTT_CLIENT_ID: `e2e-agent-${name}`,
    PUBLISH_INTERVAL: '0.2',
    SUMMARY_INTERVAL: '0',
  });
  let n = 0;
  const stack = {
    root,
    agent,
    get gateway() {
      return gateway;
    },
    get url() {
      return url;
    },
    events,
    replies,
    async command(command: string, fault?: string) {
      return vi.waitFor(async () => {
        assertAlive(agent);
        const requestId = `${name}-${command}-${++n}`;
        const pub = await mosquittoPub({
          url: broker.url,
          topic: `${root}/command`,
          qos: 1,
          message: JSON.stringify({ command, ...(fault ? { fault } : {}), requestId }),
        });
        expect(pub.code, pub.stderr).toBe(0);
        // The agent's command subscription may not be there yet: resend until a reply comes.
        return vi.waitFor(() => {
          const reply = replies
            .messages()
            .map((m) => JSON.parse(m.payload) as Record<string, unknown>)
            .find((r) => r['requestId'] === requestId);
          if (!reply) throw new Error(`a reply to ${requestId}${agent.dump()}`);
          return reply;
        }, poll(2_000));
      }, poll(30_000));
    },
    async get(path: string) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      return res.json();
    },
    async ack(alarm: string, token?: string) {
      const res = await fetch(`${url}/api/alarms/filler-01/${alarm}/ack`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ user: 'anna' }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    seen: () =>
      events.messages().map((m) => {
        expect({ qos: m.qos, retain: m.retain }).toEqual({ qos: 1, retain: false });
        return AlarmEventPayloadSchema.parse(JSON.parse(m.payload));
      }),
    async restartGateway() {
      expect(await gateway.stop(30_000)).toBe(0);
      ({ gateway, url } = await startGateway(gatewayEnv));
    },
  };
  // The line runs and its scans are stored before anything is injected.
  await vi.waitFor(async () => {
    assertAlive(agent, gateway);
    const machines = (await (await fetch(`${url}/api/machines`)).json()) as { state: string }[];
    expect(machines).toEqual([
      expect.objectContaining({ machineId: 'filler-01', state: 'running' }),
    ]);
  }, poll(30_000));
  return stack;
}

type Row = {
  alarm: string;
  state: string;
  active: boolean;
  firstOut: boolean;
  acknowledgedBy: string | null;
};
const alarmOf = async (stack: Stack, alarm: string) =>
  ((await stack.get('/api/alarms?state=all&machineId=filler-01')) as Row[]).find(
    (r) => r.alarm === alarm,
  );

/** Waits until the stack's alarm events topic carried an event with these fields. */
const untilEvent = (stack: Stack, fields: Record<string, unknown>) =>
  vi.waitFor(
    () => expect(stack.seen()).toContainEqual(expect.objectContaining(fields)),
    poll(10_000),
  );

/** Waits until `alarm` of the stack's machine matches `expected` (state, active…). */
const untilAlarm = (stack: Stack, alarm: string, expected: object, timeout = 30_000) =>
  vi.waitFor(async () => {
    expect(await alarmOf(stack, alarm)).toMatchObject(expected);
  }, poll(timeout));

describe('gateway alarm configuration', () => {
  it('exits 2 naming a bad GATEWAY_OPERATOR_TOKEN (never echoing it), GATEWAY_SHIFT_START and GATEWAY_OEE_IDEAL_RATE', async () => {
    const gateway = run('gateway', process.execPath, [GATEWAY_MAIN], {
      GATEWAY_OPERATOR_TOKEN: 'short-secret',
      GATEWAY_SHIFT_START: '6 am',
      GATEWAY_OEE_IDEAL_RATE: '-1',
    });
    expect(await gateway.exit(30_000)).toBe(2);
    const stderr = gateway.stderr.join('\n');
    expect(stderr).toMatch(
      /Invalid GATEWAY_OPERATOR_TOKEN=\(hidden\): shorter than 16 characters/u,
    );
    expect(stderr).toMatch(/Invalid GATEWAY_SHIFT_START="6 am"/u);
    expect(stderr).toMatch(/Invalid GATEWAY_OEE_IDEAL_RATE="-1"/u);
    expect(stderr).not.toContain('short-secret');
  });
});

describe('gateway alarm server end to end (agent → Mosquitto → gateway → REST and alarm events)', () => {
  it('inject-fault raises Overfill (unacknowledged-active, first-out, event published); ack needs the operator token and leaves it active; reset brings it to normal', async ({
    broker,
    mosquittoSub,
  }) => {
    const startedAt = new Date().toISOString();
    const stack = await startStack('ack', broker, mosquittoSub);
    expect(await stack.command('inject-fault', 'jamValve')).toMatchObject({ accepted: true });
    await untilAlarm(stack, 'Overfill', {
      state: 'unacknowledged-active',
      active: true,
      firstOut: true,
    });
    // Unacknowledged first in the default list.
    expect(((await stack.get('/api/alarms')) as Row[])[0]).toMatchObject({ alarm: 'Overfill' });
    await untilEvent(stack, {
      alarm: 'Overfill',
      event: 'raised',
      machineId: 'filler-01',
      firstOut: true,
    });

    const none = await stack.ack('Overfill');
    expect(none).toMatchObject({ status: 401, body: { parameter: 'Authorization' } });
    const wrong = await stack.ack('Overfill', 'not-the-operator-token');
    expect(wrong.status).toBe(401);
    const ok = await stack.ack('Overfill', OPERATOR);
    expect(ok).toMatchObject({
      status: 200,
      body: { state: 'acknowledged-active', active: true, acknowledgedBy: 'anna' },
    });
    await untilEvent(stack, {
      alarm: 'Overfill',
      event: 'acknowledged',
      user: 'anna',
      state: 'acknowledged-active',
    });
    // Acknowledging never clears the latched PLC alarm: later scans still carry it.
    const latest = async () =>
      (await stack.get('/api/machines/filler-01/latest')) as {
        sequence: number;
        tags: Record<string, unknown>;
      };
    const at = (await latest()).sequence;
    await vi.waitFor(
      async () => expect((await latest()).sequence).toBeGreaterThan(at + 2),
      poll(10_000),
    );
    expect((await latest()).tags['Overfill']).toBe(true);
    expect(await alarmOf(stack, 'Overfill')).toMatchObject({ state: 'acknowledged-active' });

    // Only the machine's reset does (after maintenance repaired the valve).
    expect(await stack.command('clear-fault', 'jamValve')).toMatchObject({ accepted: true });
    expect(await stack.command('reset')).toMatchObject({ accepted: true });
    await untilAlarm(stack, 'Overfill', { state: 'normal', active: false });
    // OEE over the stored scans: the fault (and the Idle after reset) cost availability.
    const oee = (await stack.get(`/api/machines/filler-01/oee?from=${startedAt}`)) as {
      window: { plannedMs: number; runMs: number; availability: number };
    };
    expect(oee.window.plannedMs).toBeGreaterThan(oee.window.runMs);
    expect(oee.window.availability).toBeGreaterThan(0);
    expect(oee.window.availability).toBeLessThan(1);
    const journal = (await stack.get('/api/alarms/journal?alarm=Overfill')) as {
      event: string;
      state: string;
    }[];
    expect(journal.map((e) => [e.event, e.state])).toEqual([
      ['raised', 'unacknowledged-active'],
      ['acknowledged', 'acknowledged-active'],
      ['cleared', 'normal'],
    ]);
    await vi.waitFor(
      () =>
        expect(
          stack
            .seen()
            .filter((e) => e.alarm === 'Overfill')
            .map((e) => e.event),
        ).toEqual(['raised', 'acknowledged', 'cleared']),
      poll(10_000),
    );
  });

  it('clear before ack: unacknowledged-returned-to-normal, kept across a gateway restart, then normal on ack', async ({
    broker,
    mosquittoSub,
  }) => {
    const stack = await startStack('rtn', broker, mosquittoSub);
    await stack.command('inject-fault', 'jamValve');
    await untilAlarm(stack, 'Overfill', { state: 'unacknowledged-active' });
    await stack.command('clear-fault', 'jamValve');
    await stack.command('reset');
    await untilAlarm(stack, 'Overfill', {
      state: 'unacknowledged-returned-to-normal',
      active: false,
    });
    // The agent stops too: after the restart no scan tells the gateway the machine's topic
    // layout; the journal does (the event below must reach the single-filler topic).
    expect(await stack.agent.stop(30_000)).toBe(0);
    await stack.restartGateway();
    expect(await alarmOf(stack, 'Overfill')).toMatchObject({
      state: 'unacknowledged-returned-to-normal',
    });
    const ok = await stack.ack('Overfill', OPERATOR);
    expect(ok).toMatchObject({ status: 200, body: { state: 'normal', acknowledgedBy: 'anna' } });
    await vi.waitFor(
      () =>
        expect(stack.seen().map((e) => [e.event, e.state])).toEqual([
          ['raised', 'unacknowledged-active'],
          ['cleared', 'unacknowledged-returned-to-normal'],
          ['acknowledged', 'normal'],
        ]),
      poll(10_000),
    );
  });

  it('first-out: the alarm that opened the cascade is marked, the one that followed is not', async ({
    broker,
    mosquittoSub,
  }) => {
    const stack = await startStack('first', broker, mosquittoSub);
    await stack.command('inject-fault', 'jamValve');
    await untilAlarm(stack, 'Overfill', { state: 'unacknowledged-active' });
    // The tank drains (supply lost) while the line stands faulted: LowProductLevel follows.
    await stack.command('inject-fault', 'emptyTank');
    await untilAlarm(
      stack,
      'LowProductLevel',
      {
        state: 'unacknowledged-active',
      },
      60_000,
    );
    const rows = (await stack.get('/api/alarms')) as Row[];
    expect(rows.map((r) => [r.alarm, r.firstOut])).toEqual([
      ['LowProductLevel', false],
      ['Overfill', true],
    ]);
  });
});
