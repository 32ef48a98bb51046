import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createCertificateAuthority, issueCertificate } from './dev-pki.js';
import {
  connectOrThrow,
  leakedSecrets,
  listen,
  tryConnect,
  useSecureBroker,
  type IClientOptions,
} from './security-kit.test-helper.js';
import {
  PRODUCTION_CONFIG_DIR,
  startSecureMosquitto,
  type SecureMosquitto,
} from './start-secure-mosquitto.js';

const CERTIFICATE_ERROR =
  /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/;

describe('production profile: TLS, client certificates, secure WebSockets', () => {
  let otherCaDir: string;
  const brokers: SecureMosquitto[] = [];
  const suite = useSecureBroker(async (secrets) => {
    // A second CA, unknown to the broker, with a client certificate named like a real user.
    otherCaDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-other-ca-'));
    await createCertificateAuthority({ dir: otherCaDir, commonName: 'someone else' });
    await issueCertificate({
      dir: otherCaDir,
      name: 'agent',
      commonName: 'agent',
      usage: 'client',
    });
    return startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf')],
      extra: 'log_type all',
    });
  });
  const { as } = suite;
  const withCert = async (dir: string, name: string): Promise<IClientOptions> => ({
    ca: suite.secrets.ca,
    servername: 'localhost',
    cert: await readFile(join(dir, `${name}.crt`)),
    key: await readFile(join(dir, `${name}.key`)),
  });
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
  });

  it('has no plaintext listener: only TLS 8883 and secure WebSockets 9443 (+ 8884 when opted in)', () => {
    expect(Object.keys(suite.broker.ports).sort()).toEqual(['8883', '8884', '9443']);
    expect(suite.broker.plaintextUrl).toBeUndefined();
  });

  it('a client trusting the development CA connects, over TLS 1.3 or a TLS 1.2-only stack', async () => {
    const client = await connectOrThrow(suite.broker.mqttsUrl!, as('viewer'));
    expect((client.stream as TLSSocket).getProtocol()).toBe('TLSv1.3');
    const legacy = await connectOrThrow(suite.broker.mqttsUrl!, {
      ...as('viewer'),
      maxVersion: 'TLSv1.2',
    });
    expect((legacy.stream as TLSSocket).getProtocol()).toBe('TLSv1.2');
  });

  it('refuses TLS 1.1', async () => {
    // Even with the client's own security level lowered to allow it, the broker says no.
    const result = await tryConnect(suite.broker.mqttsUrl!, {
      ...as('viewer'),
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/alert protocol version/);
  });

  it('a client trusting another CA fails with a certificate error', async () => {
    const result = await tryConnect(suite.broker.mqttsUrl!, {
      ...as('viewer'),
      ca: await readFile(join(otherCaDir, 'ca.crt')),
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(String(result.error.code)).toMatch(CERTIFICATE_ERROR);
  });

  it('a wrong server name fails with a host name mismatch', async () => {
    const result = await tryConnect(suite.broker.mqttsUrl!, {
      ...as('viewer'),
      servername: 'plc.example.com',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // The IP address is in the certificate too: connecting by 127.0.0.1 without a name works.
    const byIp = await tryConnect(suite.broker.mqttsUrl!, { ...as('viewer'), servername: '' });
    expect(byIp.ok).toBe(true);
  });

  it('a plaintext MQTT client gets nothing from the TLS port', async () => {
    const result = await tryConnect(
      suite.broker.mqttsUrl!.replace('mqtts:', 'mqtt:'),
      as('viewer'),
      5_000,
    );
    expect(result.ok).toBe(false);
  });

  it('client-certificate listener: a valid certificate is accepted as its Common Name', async () => {
    const seen = await listen(
      await connectOrThrow(suite.broker.mqttsUrl!, as('dashboard')),
      'plc/bottlefiller/#',
    );
    // CN=agent becomes user "agent": it may publish PLC data, without any password.
    const agent = await connectOrThrow(
      suite.broker.clientCertUrl!,
      await withCert(suite.secrets.clientsDir, 'agent'),
    );
    await agent.publishAsync('plc/bottlefiller/status', 'from the certificate user', { qos: 1 });
    await vi.waitFor(() => expect(seen.length > 0, 'the agent message').toBe(true), {
      timeout: 15_000,
    });
    expect(seen[0]?.payload).toBe('from the certificate user');
  });

  it('client-certificate listener: refuses a missing certificate, even with a right password', async () => {
    const result = await tryConnect(suite.broker.clientCertUrl!, as('agent'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/certificate required/);
  });

  it('client-certificate listener: refuses a certificate from another CA', async () => {
    const result = await tryConnect(
      suite.broker.clientCertUrl!,
      await withCert(otherCaDir, 'agent'),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/unknown ca|certificate/i);
  });

  it('secure WebSockets: the viewer receives PLC data over wss://, anonymous is refused', async () => {
    const seen = await listen(
      await connectOrThrow(suite.broker.wssUrl!, as('viewer')),
      'plc/bottlefiller/#',
    );
    const agent = await connectOrThrow(suite.broker.mqttsUrl!, as('agent'));
    await agent.publishAsync('plc/bottlefiller/analog', '{"FillLevel":42}', { qos: 1 });
    await vi.waitFor(() => expect(seen.length > 0, 'data over wss').toBe(true), {
      timeout: 15_000,
    });
    expect(seen[0]).toEqual({ topic: 'plc/bottlefiller/analog', payload: '{"FillLevel":42}' });
    const anonymous = await tryConnect(suite.broker.wssUrl!, {
      ca: suite.secrets.ca,
      servername: 'localhost',
    });
    expect(anonymous.ok).toBe(false);
  });

  it('the opt-in plaintext listener still demands a user name and password', async () => {
    const plain = await startSecureMosquitto({
      secretsDir: suite.secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'INSECURE-plaintext-listener.conf')],
      extra: 'log_type all',
    });
    brokers.push(plain);
    expect(plain.plaintextUrl).toBeDefined();
    expect((await tryConnect(plain.plaintextUrl!, {})).ok).toBe(false);
    const viewer = await tryConnect(plain.plaintextUrl!, {
      username: 'viewer',
      password: suite.secrets.passwords['viewer']!,
    });
    expect(viewer.ok).toBe(true);
  });

  it('leaves no password in the broker logs, even at log_type all', async () => {
    for (const b of [suite.broker, ...brokers]) {
      expect(leakedSecrets(await b.readLog(), suite.secrets.passwords)).toEqual([]);
    }
  });
});
