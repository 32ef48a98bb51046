import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  closeAllClients,
  connectOrThrow,
  createTestSecrets,
  leakedSecrets,
  listen,
  loginAs,
  record,
  untilPayload,
  type TestSecrets,
} from './security-kit.test-helper.js';
import {
  BRIDGE_CONFIG_DIR,
  startSecureMosquitto,
  type SecureMosquitto,
} from './start-secure-mosquitto.js';

const TOPICS = ['data', 'inputs', 'outputs', 'analog', 'status', 'counters', 'alarms'];

describe('OT → IT bridge: two Mosquitto processes, one-way over TLS', () => {
  let secrets: TestSecrets;
  let it$: SecureMosquitto; // the IT broker (dashboards)
  let ot: SecureMosquitto; // the OT broker (agent, viewer), bridging out
  const as = (user: string) => loginAs(secrets, user);

  beforeAll(async () => {
    secrets = await createTestSecrets();
    it$ = await startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      profileDir: join(BRIDGE_CONFIG_DIR, 'it-broker'),
      extra: 'log_type all',
    });
    ot = await startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(BRIDGE_CONFIG_DIR, 'ot-to-it-bridge.conf')],
      // The shipped file names a placeholder host; point it at the IT broker of this test.
      // Also a faster reconnect than the shipped 5-60 s, for the outage test.
      transform: (text) =>
        text
          .replace(/^address .*$/m, `address 127.0.0.1:${it$.ports[8884] ?? 0}`)
          .replace(/^restart_timeout .*$/m, 'restart_timeout 1 2'),
      extra: 'log_type all',
    });
    await waitForLog(it$, /New bridge connected .* as ot-bridge-filler-01 .*u'ot-bridge'/);
  });
  afterEach(closeAllClients);
  afterAll(async () => {
    await ot?.stop();
    await it$?.stop();
  });

  it('a dashboard on the IT broker receives every scan the agent publishes on the OT broker', async () => {
    const seen = await listen(
      await connectOrThrow(it$.mqttsUrl!, as('dashboard')),
      'plc/bottlefiller/#',
    );
    const agent = await connectOrThrow(ot.mqttsUrl!, as('agent'));
    const sent: string[] = [];
    for (let scan = 0; scan < 10; scan++) {
      for (const kind of TOPICS) {
        const payload = JSON.stringify({ sequence: scan, kind });
        sent.push(`plc/bottlefiller/${kind} ${payload}`);
        await agent.publishAsync(`plc/bottlefiller/${kind}`, payload, { qos: 1 });
      }
    }
    await vi.waitFor(
      () => expect(seen.length >= sent.length, `${sent.length} messages on IT`).toBe(true),
      { timeout: 15_000 },
    );
    expect(seen.map((m) => `${m.topic} ${m.payload}`)).toEqual(sent);
  });

  it('nothing published on the IT side reaches the OT broker', async () => {
    const otSeen = await listen(
      await connectOrThrow(ot.mqttsUrl!, as('viewer')),
      'plc/bottlefiller/#',
    );
    const itSeen = await listen(
      await connectOrThrow(it$.mqttsUrl!, as('dashboard')),
      'plc/bottlefiller/#',
    );
    // The identity with the most rights on the IT broker: the bridge's own certificate.
    const itWriter = await connectOrThrow(it$.clientCertUrl!, {
      ca: secrets.ca,
      servername: 'localhost',
      cert: await readFile(secrets.users['ot-bridge']!.certFile),
      key: await readFile(secrets.users['ot-bridge']!.keyFile),
    });
    await itWriter.publishAsync('plc/bottlefiller/data', 'from IT', { qos: 1 });
    await itWriter.publishAsync('plc/bottlefiller/commands/stop', 'from IT', { qos: 1 });
    await vi.waitFor(() => expect(itSeen.length === 2, 'the IT messages on IT').toBe(true), {
      timeout: 15_000,
    });
    // A full OT → IT round trip after them: the bridge connection has carried traffic since.
    const agent = await connectOrThrow(ot.mqttsUrl!, as('agent'));
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await untilPayload([itSeen, otSeen]);
    expect(otSeen.map((m) => m.payload)).toEqual(['sentinel']);
    // Why it can never happen: the bridge never subscribes on the IT broker (with `out` it even
    // sends an UNSUBSCRIBE at connect, clearing what an older `in`/`both` line might have left).
    expect(await it$.readLog()).not.toMatch(/Received SUBSCRIBE from ot-bridge-filler-01/);
  });

  it('scans published while the IT broker is down reach IT after it returns', async () => {
    // A historian-style dashboard: persistent session, so IT keeps its subscription across the restart.
    const persistent = { ...as('dashboard'), clientId: 'it-historian', clean: false };
    const before = await connectOrThrow(it$.mqttsUrl!, persistent);
    await before.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    await before.endAsync();
    await it$.stop();
    const agent = await connectOrThrow(ot.mqttsUrl!, as('agent'));
    for (const kind of TOPICS)
      await agent.publishAsync(`plc/bottlefiller/${kind}`, `during outage: ${kind}`, { qos: 1 });
    const restarted = await it$.restart();
    it$ = { ...it$, ...restarted };
    const after = await connectOrThrow(it$.mqttsUrl!, persistent);
    const seen = record(after);
    await vi.waitFor(
      () => expect(seen.length >= TOPICS.length, 'the scans queued on OT').toBe(true),
      { timeout: 30_000 },
    );
    expect(seen.map((m) => m.payload)).toEqual(TOPICS.map((kind) => `during outage: ${kind}`));
  });

  it('leaves no password in the logs of either broker', async () => {
    for (const broker of [ot, it$]) {
      expect(leakedSecrets(await broker.readLog(), secrets.passwords)).toEqual([]);
    }
  });
});

async function waitForLog(broker: SecureMosquitto, pattern: RegExp, timeout = 20_000) {
  await vi.waitFor(async () => expect(await broker.readLog()).toMatch(pattern), {
    timeout,
    interval: 50,
  });
}
