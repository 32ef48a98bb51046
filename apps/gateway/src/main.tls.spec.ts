import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_CONFIG_DIR } from '@ot-mqtt/broker';
import {
  setupSecure,
  startSecureMosquitto,
  type SecureMosquitto,
  type SecureSetup,
} from '@ot-mqtt/broker/testing';
import {
  createPublisher,
  runGateway,
  startGatewayProcess,
  untilStored,
  waitReady,
  type GatewayProcess,
} from './gateway-process.test-helper.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const MACHINE = 'filler-tls';

// The production profile as Docker runs it (TLS only, the dev PKI's private CA, passwords, the
// ACL's `gateway` account), plus its optional client-certificate listener.
describe('gateway process against the TLS production profile', () => {
  const gateways: GatewayProcess[] = [];
  let dir: string;
  let secrets: SecureSetup;
  let broker: SecureMosquitto;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
    secrets = await setupSecure({ dir: join(dir, 'secrets'), machines: [MACHINE] });
    broker = await startSecureMosquitto({
      secretsDir: secrets.brokerDir,
      include: [join(PRODUCTION_CONFIG_DIR, 'optional', 'client-certificate-listener.conf')],
    });
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.kill()));
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const gatewayFiles = () => secrets.users['gateway']!;
  const common = (name: string) => ({
    HISTORIAN_DB: join(dir, name, 'historian.sqlite'),
    MQTT_CLIENT_ID: `gw-${name}`,
    GATEWAY_SHARE_GROUP: `g-${name}`,
    MQTT_CA_FILE: secrets.caFile,
  });

  it('a missing CA file stops the gateway with exit 2, naming MQTT_CA_FILE', async () => {
    const missing = join(dir, 'no-such-ca.crt');
    const r = await runGateway({ MQTT_TLS: 'true', MQTT_CA_FILE: missing });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Invalid MQTT_CA_FILE="${missing}": cannot read the file (ENOENT)`);
  });

  it('stores scans over TLS: MQTT_TLS with host and port and a password, and a client certificate', async () => {
    const tlsPort = String(broker.ports[8883]);
    const byPassword = await startGatewayProcess({
      ...common('password'),
      MQTT_TLS: 'true',
      MQTT_BROKER_HOST: '127.0.0.1',
      MQTT_BROKER_PORT: tlsPort,
      MQTT_USERNAME: 'gateway',
      MQTT_PASSWORD_FILE: gatewayFiles().passwordFile!,
    });
    gateways.push(byPassword);
    // The certificate's name is the user name on this listener (use_identity_as_username).
    const byCertificate = await startGatewayProcess({
      ...common('certificate'),
      MQTT_URL: broker.clientCertUrl!,
      MQTT_CERT_FILE: gatewayFiles().certFile,
      MQTT_KEY_FILE: gatewayFiles().keyFile,
    });
    gateways.push(byCertificate);
    await Promise.all([waitReady(byPassword), waitReady(byCertificate)]);
    expect(byPassword.output()).toContain(`mqtts://127.0.0.1:${tlsPort}`);

    const machine = secrets.users[MACHINE]!;
    const pub = await createPublisher(broker.mqttsUrl!, {
      ca: readFileSync(secrets.caFile),
      username: MACHINE,
      password: readFileSync(machine.passwordFile!, 'utf8').trim(),
    });
    try {
      for (const n of range(10)) await pub.publishScan(MACHINE, n);
      expect(await untilStored(byPassword, MACHINE, 10)).toEqual(range(10));
      expect(await untilStored(byCertificate, MACHINE, 10)).toEqual(range(10));
    } finally {
      await pub.close();
    }

    // Neither the password nor the private key ever reaches the log.
    const password = readFileSync(gatewayFiles().passwordFile!, 'utf8').trim();
    const keyLines = readFileSync(gatewayFiles().keyFile, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0 && !line.startsWith('-----'));
    for (const gw of [byPassword, byCertificate]) {
      expect(gw.output()).not.toContain(password);
      for (const line of keyLines) expect(gw.output()).not.toContain(line);
    }
  });
});
