import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueCertificate } from './dev-pki.js';
import {
  closeAllClients,
  connectOrThrow,
  createTestSecrets,
  leakedSecrets,
  record,
  tryConnect,
  type IClientOptions,
  type TestSecrets,
} from './security-kit.test-helper.js';
import {
  PRODUCTION_CONFIG_DIR,
  startSecureMosquitto,
  type SecureMosquitto,
} from './start-secure-mosquitto.js';

describe('production profile: who may connect, read and write', () => {
  let secrets: TestSecrets;
  let broker: SecureMosquitto;
  const tls = (): IClientOptions => ({ ca: secrets.ca, servername: 'localhost' });
  const as = (user: string, password = secrets.passwords[user]): IClientOptions => ({
    ...tls(),
    username: user,
    ...(password === undefined ? {} : { password }),
  });

  beforeAll(async () => {
    secrets = await createTestSecrets();
    broker = await startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf')],
      // The most verbose logging Mosquitto has: the password scan below is meaningful only then.
      extra: 'log_type all',
    });
  });
  afterEach(closeAllClients);
  afterAll(async () => {
    await broker?.stop();
  });

  it('refuses an anonymous client', async () => {
    const result = await tryConnect(broker.mqttsUrl!, tls());
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toMatch(/not authori[sz]ed|bad user ?name or password/i);
  });

  it('refuses a wrong password and an unknown user', async () => {
    const wrong = await tryConnect(broker.mqttsUrl!, as('agent', 'not-the-password'));
    expect(wrong.ok).toBe(false);
    const unknown = await tryConnect(broker.mqttsUrl!, as('intruder', secrets.passwords['agent']));
    expect(unknown.ok).toBe(false);
    // Mosquitto 2.0.11 answers a bad password with "not authorized" (MQTT 5: 0x87, 3.1.1: 5), not
    // with "bad user name or password" (0x86 / 4): a client cannot tell the two apart.
    const v5 = await tryConnect(broker.mqttsUrl!, { ...as('viewer', 'nope'), protocolVersion: 5 });
    expect(v5.ok).toBe(false);
    if (!v5.ok) expect(v5.error.code).toBe(0x87);
    if (!wrong.ok) expect(wrong.error.code).toBe(5);
  });

  it('accepts the agent, viewer and dashboard with their generated passwords', async () => {
    for (const user of ['agent', 'viewer', 'dashboard']) {
      const result = await tryConnect(broker.mqttsUrl!, as(user));
      expect(result.ok, `${user} connects`).toBe(true);
    }
  });

  it("drops what the viewer's user publishes to plc/bottlefiller/data: no subscriber ever receives it", async () => {
    const dashboard = await connectOrThrow(broker.mqttsUrl!, as('dashboard'));
    const seen = record(dashboard);
    await dashboard.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    const viewer = await connectOrThrow(broker.mqttsUrl!, { ...as('viewer'), protocolVersion: 5 });
    // MQTT 5 makes the refusal visible to the publisher: PUBACK "not authorized" (0x87).
    const refused = await viewer
      .publishAsync('plc/bottlefiller/data', 'forged by viewer', { qos: 1 })
      .then(
        () => undefined,
        (error: Error & { code?: number }) => error.code,
      );
    expect(refused).toBe(0x87);
    // MQTT 3.1.1 cannot say no: the PUBACK comes, the message is discarded all the same.
    const viewer311 = await connectOrThrow(broker.mqttsUrl!, as('viewer'));
    await viewer311.publishAsync('plc/bottlefiller/data', 'forged by viewer 3.1.1', { qos: 1 });
    // A message published after the forged one, by the agent: once it has arrived, the forged one
    // would have arrived before it (Mosquitto routes in order, one thread).
    const agent = await connectOrThrow(broker.mqttsUrl!, as('agent'));
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await vi.waitFor(
      () =>
        expect(
          seen.some((m) => m.payload === 'sentinel'),
          'the sentinel',
        ).toBe(true),
      { timeout: 15_000 },
    );
    expect(seen.map((m) => m.payload)).toEqual(['sentinel']);
  });

  it("the agent's user can publish its data but read nothing but its command topic, not even its own data", async () => {
    const reader = await connectOrThrow(broker.mqttsUrl!, {
      ...as('agent'),
      clientId: 'agent-reader',
    });
    const readerSeen = record(reader);
    // Mosquitto 2.0.11 grants the SUBACK and filters each message on delivery instead.
    await reader.subscribeAsync(['#', 'plc/bottlefiller/#', 'other/topic'], { qos: 1 });
    const dashboard = await connectOrThrow(broker.mqttsUrl!, as('dashboard'));
    const dashboardSeen = record(dashboard);
    await dashboard.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    const agent = await connectOrThrow(broker.mqttsUrl!, as('agent'));
    await agent.publishAsync('plc/bottlefiller/counters', '{"BottlesFilled":1}', { qos: 1 });
    await agent.publishAsync('other/topic', 'outside the tree', { qos: 1 });
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await vi.waitFor(
      () =>
        expect(
          dashboardSeen.some((m) => m.payload === 'sentinel'),
          'the sentinel',
        ).toBe(true),
      { timeout: 15_000 },
    );
    expect(dashboardSeen.map((m) => m.topic)).toEqual([
      'plc/bottlefiller/counters',
      'plc/bottlefiller/data',
    ]);
    expect(readerSeen).toEqual([]);
  });

  it("lets the agent's last will announce it offline on the connection topic", async () => {
    const dashboard = await connectOrThrow(broker.mqttsUrl!, as('dashboard'));
    const seen = record(dashboard);
    await dashboard.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    const agent = await connectOrThrow(broker.mqttsUrl!, {
      ...as('agent'),
      will: {
        topic: 'plc/bottlefiller/connection',
        payload: Buffer.from('{"status":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    agent.stream.destroy(); // a crash: no DISCONNECT, so the broker sends the will
    await vi.waitFor(
      () =>
        expect(
          seen.some((m) => m.topic === 'plc/bottlefiller/connection'),
          'the will',
        ).toBe(true),
      { timeout: 15_000 },
    );
    expect(seen.find((m) => m.topic === 'plc/bottlefiller/connection')?.payload).toBe(
      '{"status":"offline"}',
    );
    // Clear the retained will so later tests start from an empty broker.
    const again = await connectOrThrow(broker.mqttsUrl!, as('agent'));
    await again.publishAsync('plc/bottlefiller/connection', '', { qos: 1, retain: true });
  });

  it('an unknown identity with a valid client certificate connects but sees and sends nothing', async () => {
    await issueCertificate({
      dir: secrets.clientsDir,
      name: 'intruder',
      commonName: 'intruder',
      usage: 'client',
    });
    const cert = {
      ...tls(),
      cert: await readFile(join(secrets.clientsDir, 'intruder.crt')),
      key: await readFile(join(secrets.clientsDir, 'intruder.key')),
    };
    const intruder = await connectOrThrow(broker.clientCertUrl!, cert);
    const intruderSeen = record(intruder);
    await intruder.subscribeAsync(['#', 'plc/bottlefiller/#'], { qos: 1 });
    const dashboard = await connectOrThrow(broker.mqttsUrl!, as('dashboard'));
    const dashboardSeen = record(dashboard);
    await dashboard.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    await intruder.publishAsync('plc/bottlefiller/data', 'forged by intruder', { qos: 1 });
    const agent = await connectOrThrow(broker.mqttsUrl!, as('agent'));
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await vi.waitFor(
      () =>
        expect(
          dashboardSeen.some((m) => m.payload === 'sentinel'),
          'the sentinel',
        ).toBe(true),
      { timeout: 15_000 },
    );
    expect(dashboardSeen.map((m) => m.payload)).toEqual(['sentinel']);
    expect(intruderSeen).toEqual([]);
  });

  it('leaves no password in the broker log, even at log_type all', async () => {
    const log = await broker.readLog();
    expect(log).toMatch(/u'agent'/); // the log did record the connections above
    expect(leakedSecrets(log, { ...secrets.passwords, wrong: 'not-the-password' })).toEqual([]);
  });
});
