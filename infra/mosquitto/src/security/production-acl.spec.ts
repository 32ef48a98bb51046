import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from './dev-pki.js';
import {
  connectOrThrow,
  leakedSecrets,
  listen,
  pubackReason,
  tryConnect,
  untilPayload,
  useSecureBroker,
} from './security-kit.test-helper.js';
import { PRODUCTION_CONFIG_DIR, startSecureMosquitto } from './start-secure-mosquitto.js';

describe('production profile: who may connect, read and write', () => {
  const suite = useSecureBroker((secrets) =>
    startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf')],
      // The most verbose logging Mosquitto has: the password scan below is meaningful only then.
      extra: 'log_type all',
    }),
  );
  const { as } = suite;
  const tls = () => ({ ca: suite.secrets.ca, servername: 'localhost' });
  const url = () => suite.broker.mqttsUrl!;

  it('refuses an anonymous client', async () => {
    const result = await tryConnect(url(), tls());
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toMatch(/not authori[sz]ed|bad user ?name or password/i);
  });

  it('refuses a wrong password and an unknown user', async () => {
    const wrong = await tryConnect(url(), as('agent', 'not-the-password'));
    expect(wrong.ok).toBe(false);
    const unknown = await tryConnect(url(), as('intruder', suite.secrets.passwords['agent']));
    expect(unknown.ok).toBe(false);
    // Mosquitto 2.0.11 answers a bad password with "not authorized" (MQTT 5: 0x87, 3.1.1: 5), not
    // with "bad user name or password" (0x86 / 4): a client cannot tell the two apart.
    const v5 = await tryConnect(url(), { ...as('viewer', 'nope'), protocolVersion: 5 });
    expect(v5.ok).toBe(false);
    if (!v5.ok) expect(v5.error.code).toBe(0x87);
    if (!wrong.ok) expect(wrong.error.code).toBe(5);
  });

  it('accepts the agent, viewer and dashboard with their generated passwords', async () => {
    for (const user of ['agent', 'viewer', 'dashboard']) {
      const result = await tryConnect(url(), as(user));
      expect(result.ok, `${user} connects`).toBe(true);
    }
  });

  it("drops what the viewer's user publishes to plc/bottlefiller/data: no subscriber ever receives it", async () => {
    const seen = await listen(await connectOrThrow(url(), as('dashboard')), 'plc/bottlefiller/#');
    const viewer = await connectOrThrow(url(), { ...as('viewer'), protocolVersion: 5 });
    // MQTT 5 makes the refusal visible to the publisher: PUBACK "not authorized" (0x87).
    expect(await pubackReason(viewer, 'plc/bottlefiller/data', 'forged by viewer')).toBe(0x87);
    // MQTT 3.1.1 cannot say no: the PUBACK comes, the message is discarded all the same.
    const viewer311 = await connectOrThrow(url(), as('viewer'));
    await viewer311.publishAsync('plc/bottlefiller/data', 'forged by viewer 3.1.1', { qos: 1 });
    // A message published after the forged one, by the agent: once it has arrived, the forged one
    // would have arrived before it (Mosquitto routes in order, one thread).
    const agent = await connectOrThrow(url(), as('agent'));
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await untilPayload([seen]);
    expect(seen.map((m) => m.payload)).toEqual(['sentinel']);
  });

  it("the agent's user can publish its data but read nothing but its command topic, not even its own data", async () => {
    const reader = await connectOrThrow(url(), {
      ...as('agent'),
      clientId: 'agent-reader',
    });
    // Mosquitto 2.0.11 grants the SUBACK and filters each message on delivery instead.
    const readerSeen = await listen(reader, ['#', 'plc/bottlefiller/#', 'other/topic']);
    const dashboardSeen = await listen(
      await connectOrThrow(url(), as('dashboard')),
      'plc/bottlefiller/#',
    );
    const agent = await connectOrThrow(url(), as('agent'));
    await agent.publishAsync('plc/bottlefiller/counters', '{"BottlesFilled":1}', { qos: 1 });
    await agent.publishAsync('other/topic', 'outside the tree', { qos: 1 });
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await untilPayload([dashboardSeen]);
    expect(dashboardSeen.map((m) => m.topic)).toEqual([
      'plc/bottlefiller/counters',
      'plc/bottlefiller/data',
    ]);
    expect(readerSeen).toEqual([]);
  });

  it("lets the agent's last will announce it offline on the connection topic", async () => {
    const seen = await listen(await connectOrThrow(url(), as('dashboard')), 'plc/bottlefiller/#');
    const agent = await connectOrThrow(url(), {
      ...as('agent'),
      will: {
        topic: 'plc/bottlefiller/connection',
        payload: Buffer.from('{"status":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    agent.stream.destroy(); // a crash: no DISCONNECT, so the broker sends the will
    await untilPayload([seen], '{"status":"offline"}');
    expect(seen).toContainEqual({
      topic: 'plc/bottlefiller/connection',
      payload: '{"status":"offline"}',
    });
    // Clear the retained will so later tests start from an empty broker.
    const again = await connectOrThrow(url(), as('agent'));
    await again.publishAsync('plc/bottlefiller/connection', '', { qos: 1, retain: true });
  });

  it('an unknown identity with a valid client certificate connects but sees and sends nothing', async () => {
    await issueCertificate({
      dir: suite.secrets.clientsDir,
      name: 'intruder',
      commonName: 'intruder',
      usage: 'client',
    });
    const cert = {
      ...tls(),
      cert: await readFile(join(suite.secrets.clientsDir, 'intruder.crt')),
      key: await readFile(join(suite.secrets.clientsDir, 'intruder.key')),
    };
    const intruder = await connectOrThrow(suite.broker.clientCertUrl!, cert);
    const intruderSeen = await listen(intruder, ['#', 'plc/bottlefiller/#']);
    const dashboardSeen = await listen(
      await connectOrThrow(url(), as('dashboard')),
      'plc/bottlefiller/#',
    );
    await intruder.publishAsync('plc/bottlefiller/data', 'forged by intruder', { qos: 1 });
    const agent = await connectOrThrow(url(), as('agent'));
    await agent.publishAsync('plc/bottlefiller/data', 'sentinel', { qos: 1 });
    await untilPayload([dashboardSeen]);
    expect(dashboardSeen.map((m) => m.payload)).toEqual(['sentinel']);
    expect(intruderSeen).toEqual([]);
  });

  it('leaves no password in the broker log, even at log_type all', async () => {
    const log = await suite.broker.readLog();
    expect(log).toMatch(/u'agent'/); // the log did record the connections above
    expect(leakedSecrets(log, { ...suite.secrets.passwords, wrong: 'not-the-password' })).toEqual(
      [],
    );
  });
});
