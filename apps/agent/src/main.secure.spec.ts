import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningMosquitto } from '@ot-mqtt/broker';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { afterEach, beforeAll, describe, expect } from 'vitest';
import { assertBuilt, killAll, spawnAgent, waitFor } from './agent-process.test-helper.js';

// A minimal TLS + password broker, made for this file: it tests the agent's side of issue 5 (its
// variables reach the client, refusals are explained). The production profile itself is tested
// with its own files in infra/mosquitto.
const PASSWORD = 'agent-secret-4711';

function makePki(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const ca of ['ca', 'other-ca'])
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.crt`,
      '-days',
      '2',
      '-subj',
      `/CN=${ca}`,
    );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  execFileSync('mosquitto_passwd', ['-c', '-b', join(dir, 'passwd'), 'agent', PASSWORD], {
    stdio: 'pipe',
  });
  writeFileSync(join(dir, 'agent-password'), `${PASSWORD}\n`);
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    [
      'listener 8883',
      'cafile ca.crt',
      'certfile server.crt',
      'keyfile server.key',
      'tls_version tlsv1.2',
      'allow_anonymous false',
      'password_file passwd',
      'log_dest file /mosquitto/log/mosquitto.log',
      'connection_messages true',
    ].join('\n') + '\n',
  );
}

const dir = mkdtempSync(join(tmpdir(), 'ot-mqtt-agent-tls-'));
// The file's broker starts when the first test asks for it, after beforeAll made its PKI.
const it = createBrokerTest({ configFile: join(dir, 'mosquitto.conf') });

describe('agent with TLS and a password (issue 5)', () => {
  beforeAll(() => {
    assertBuilt();
    makePki(dir);
  });
  afterEach(killAll);

  const env = (broker: RunningMosquitto, extra: Record<string, string>) => ({
    MQTT_BROKER_HOST: 'localhost',
    MQTT_BROKER_PORT: String(broker.ports[8883]),
    MQTT_TLS: 'true',
    MQTT_CA_FILE: join(dir, 'ca.crt'),
    MQTT_USERNAME: 'agent',
    MQTT_PASSWORD_FILE: join(dir, 'agent-password'),
    PUBLISH_INTERVAL: '0.1',
    SUMMARY_INTERVAL: '0.3',
    TOPIC_ROOT: 'test/tls',
    ...extra,
  });

  it('publishes over TLS with the password from MQTT_PASSWORD_FILE, never printing it', async ({
    broker,
  }) => {
    const agent = spawnAgent(env(broker, {}));
    await agent.line(/INFO\s+connected url=mqtts:\/\/localhost:/);
    await waitFor(
      () => agent.stdout.some((l) => / summary .*acked=([1-9]\d+)/.test(l)),
      'acknowledged scans',
    );
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect([...agent.stdout, ...agent.stderr].join('\n')).not.toContain(PASSWORD);
  });

  it.for([
    [
      'a wrong password',
      { MQTT_PASSWORD_FILE: '', MQTT_PASSWORD: 'wrong-password' },
      /code=(BAD_CREDENTIALS|NOT_AUTHORIZED) .*hint=/,
    ],
    [
      'a CA that did not sign the broker certificate',
      { MQTT_CA_FILE: '' },
      /code=TLS_ERROR .*hint=.*MQTT_CA_FILE/,
    ],
    [
      'a server name the certificate does not carry',
      { MQTT_TLS_SERVERNAME: 'broker.example' },
      /code=TLS_ERROR .*hint=.*MQTT_TLS_SERVERNAME/,
    ],
  ] as Array<[string, Record<string, string>, RegExp]>)(
    'with %s: says why in words and what to check, and keeps retrying',
    async ([, extra, pattern], { broker }) => {
      const overrides: Record<string, string> = { ...extra };
      if (overrides['MQTT_CA_FILE'] === '') overrides['MQTT_CA_FILE'] = join(dir, 'other-ca.crt');
      const agent = spawnAgent(env(broker, overrides));
      const line = await agent.line(pattern);
      expect(line).toMatch(/WARN .*will retry/);
      expect(agent.child.exitCode).toBeNull();
      expect([...agent.stdout, ...agent.stderr].join('\n')).not.toMatch(
        /wrong-password|agent-secret/,
      );
    },
  );
});
