import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCertificateAuthority, issueCertificate } from './dev-pki.js';
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

const CERTIFICATE_ERROR =
  /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/;

describe('production profile: TLS, client certificates, secure WebSockets', () => {
  let secrets: TestSecrets;
  let otherCaDir: string;
  let broker: SecureMosquitto;
  const brokers: SecureMosquitto[] = [];
  const as = (user: string): IClientOptions => ({
    ca: secrets.ca,
    servername: 'localhost',
    username: user,
    password: secrets.passwords[user]!,
  });
  const withCert = async (dir: string, name: string): Promise<IClientOptions> => ({
    ca: secrets.ca,
    servername: 'localhost',
    cert: await readFile(join(dir, `${name}.crt`)),
    key: await readFile(join(dir, `${name}.key`)),
  });

  beforeAll(async () => {
    secrets = await createTestSecrets();
    // A second CA, unknown to the broker, with a client certificate named like a real user.
    otherCaDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-other-ca-'));
    await createCertificateAuthority({ dir: otherCaDir, commonName: 'someone else' });
    await issueCertificate({
      dir: otherCaDir,
      name: 'agent',
      commonName: 'agent',
      usage: 'client',
    });
    broker = await startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf')],
      extra: 'log_type all',
    });
    brokers.push(broker);
  });
  afterEach(closeAllClients);
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
  });

  it('has no plaintext listener: only TLS 8883 and secure WebSockets 9443 (+ 8884 when opted in)', () => {
    expect(Object.keys(broker.ports).sort()).toEqual(['8883', '8884', '9443']);
    expect(broker.plaintextUrl).toBeUndefined();
  });

  it('a client trusting the development CA connects, over TLS 1.3 or a TLS 1.2-only stack', async () => {
    const client = await connectOrThrow(broker.mqttsUrl!, as('viewer'));
    expect((client.stream as TLSSocket).getProtocol()).toBe('TLSv1.3');
    const legacy = await connectOrThrow(broker.mqttsUrl!, {
      ...as('viewer'),
      maxVersion: 'TLSv1.2',
    });
    expect((legacy.stream as TLSSocket).getProtocol()).toBe('TLSv1.2');
  });

  it('refuses TLS 1.1', async () => {
    // Even with the client's own security level lowered to allow it, the broker says no.
    const result = await tryConnect(broker.mqttsUrl!, {
      ...as('viewer'),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/alert protocol version/);
  });

  it('a client trusting another CA fails with a certificate error', async () => {
    const result = await tryConnect(broker.mqttsUrl!, {
      ...as('viewer'),
      ca: await readFile(join(otherCaDir, 'ca.crt')),
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(String(result.error.code)).toMatch(CERTIFICATE_ERROR);
  });

  it('a wrong server name fails with a host name mismatch', async () => {
    const result = await tryConnect(broker.mqttsUrl!, {
      ...as('viewer'),
      servername: 'plc.example.com',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // The IP address is in the certificate too: connecting by 127.0.0.1 without a name works.
    const byIp = await tryConnect(broker.mqttsUrl!, { ...as('viewer'), servername: '' });
    expect(byIp.ok).toBe(true);
  });

  it('a plaintext MQTT client gets nothing from the TLS port', async () => {
    const result = await tryConnect(
      broker.mqttsUrl!.replace('mqtts:', 'mqtt:'),
      as('viewer'),
      5_000,
    );
    expect(result.ok).toBe(false);
  });

  it('client-certificate listener: a valid certificate is accepted as its Common Name', async () => {
    const dashboard = await connectOrThrow(broker.mqttsUrl!, as('dashboard'));
    const seen = record(dashboard);
    await dashboard.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    // CN=agent becomes user "agent": it may publish PLC data, without any password.
    const agent = await connectOrThrow(
      broker.clientCertUrl!,
      await withCert(secrets.clientsDir, 'agent'),
    );
    await agent.publishAsync('plc/bottlefiller/status', 'from the certificate user', { qos: 1 });
    await vi.waitFor(() => expect(seen.length > 0, 'the agent message').toBe(true), {
      timeout: 15_000,
    });
    expect(seen[0]?.payload).toBe('from the certificate user');
  });

  it('client-certificate listener: refuses a missing certificate, even with a right password', async () => {
    const result = await tryConnect(broker.clientCertUrl!, as('agent'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/certificate required/);
  });

  it('client-certificate listener: refuses a certificate from another CA', async () => {
    const result = await tryConnect(broker.clientCertUrl!, await withCert(otherCaDir, 'agent'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/unknown ca|certificate/i);
  });

  it('secure WebSockets: the viewer receives PLC data over wss://, anonymous is refused', async () => {
    const viewer = await connectOrThrow(broker.wssUrl!, as('viewer'));
    const seen = record(viewer);
    await viewer.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
    const agent = await connectOrThrow(broker.mqttsUrl!, as('agent'));
    await agent.publishAsync('plc/bottlefiller/analog', '{"FillLevel":42}', { qos: 1 });
    await vi.waitFor(() => expect(seen.length > 0, 'data over wss').toBe(true), {
      timeout: 15_000,
    });
    expect(seen[0]).toEqual({ topic: 'plc/bottlefiller/analog', payload: '{"FillLevel":42}' });
    const anonymous = await tryConnect(broker.wssUrl!, { ca: secrets.ca, servername: 'localhost' });
    expect(anonymous.ok).toBe(false);
  });

  it('the opt-in plaintext listener still demands a user name and password', async () => {
    const plain = await startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'INSECURE-plaintext-listener.conf')],
      extra: 'log_type all',
    });
    brokers.push(plain);
    expect(plain.plaintextUrl).toBeDefined();
    expect((await tryConnect(plain.plaintextUrl!, {})).ok).toBe(false);
    const viewer = await tryConnect(plain.plaintextUrl!, {
      username: 'viewer',
      password: secrets.passwords['viewer']!,
    });
    expect(viewer.ok).toBe(true);
  });

  it('leaves no password in the broker logs, even at log_type all', async () => {
    for (const b of brokers) {
      expect(leakedSecrets(await b.readLog(), secrets.passwords)).toEqual([]);
    }
  });
});
