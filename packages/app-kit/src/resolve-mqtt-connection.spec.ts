import { describe, expect, it } from 'vitest';
import { MQTT_ENV } from './mqtt-env.js';
import { parseEnv } from './parse-env.js';
import { resolveMqttConnection } from './resolve-mqtt-connection.js';
import { filesInMemory } from './testing/index.js';

const readFile = filesInMemory({
  '/pw': 's3cret\n',
  '/ca.pem': 'CA PEM',
  '/c.pem': 'CERT',
  '/k.pem': 'KEY',
  '/empty': '',
  '/blank-first-line': '\nx',
});

function resolve(env: Record<string, string>) {
  const parsed = parseEnv(MQTT_ENV, env);
  const connection = resolveMqttConnection(parsed, { readFile });
  return { connection, errors: parsed.errors.map((e) => e.message), warnings: parsed.warnings };
}

describe('resolveMqttConnection', () => {
  it("defaults to the architecture document's broker, plain MQTT, keepalive 60", () => {
    expect(resolve({})).toEqual({
      connection: { url: 'mqtt://localhost:1883', keepaliveSeconds: 60 },
      errors: [],
      warnings: [],
    });
  });

  it('builds the URL from host, port and TLS: 8883 by default over TLS, IPv6 in brackets', () => {
    expect(resolve({ MQTT_BROKER_HOST: '::1' }).connection.url).toBe('mqtt://[::1]:1883');
    expect(resolve({ MQTT_BROKER_HOST: '[fe80::1]' }).connection.url).toBe('mqtt://[fe80::1]:1883');
    expect(resolve({ MQTT_TLS: 'yes', MQTT_BROKER_HOST: 'b' }).connection).toEqual({
      url: 'mqtts://b:8883',
      keepaliveSeconds: 60,
      tls: {},
    });
  });

  it('lets MQTT_URL win, with a warning for host and port, and takes TLS from its scheme', () => {
    const { connection, warnings } = resolve({
      MQTT_URL: 'wss://broker:8884/mqtt',
      MQTT_BROKER_HOST: 'ignored',
      MQTT_CA_FILE: '/ca.pem',
    });
    expect(connection).toMatchObject({ url: 'wss://broker:8884/mqtt', tls: { ca: 'CA PEM' } });
    expect(warnings).toEqual(['MQTT_BROKER_HOST is ignored: MQTT_URL is set']);
  });

  it('MQTT_URL may list several brokers (a cluster), all TLS or all plain', () => {
    expect(resolve({ MQTT_URL: 'mqtt://a:1883, mqtt://b:1884,mqtt://c' })).toMatchObject({
      connection: { url: 'mqtt://a:1883', urls: ['mqtt://a:1883', 'mqtt://b:1884', 'mqtt://c'] },
      errors: [],
    });
    expect(resolve({ MQTT_URL: 'mqtt://a' }).connection).not.toHaveProperty('urls');
    expect(resolve({ MQTT_URL: 'mqtt://a,mqtts://b' }).errors).toEqual([
      expect.stringContaining('mixes TLS'),
    ]);
    expect(resolve({ MQTT_URL: 'mqtt://a,,mqtt://c' }).errors).toEqual([
      expect.stringContaining('entry 2 (""): an empty entry'),
    ]);
    expect(resolve({ MQTT_URL: 'mqtt://a,http://b' }).errors).toEqual([
      expect.stringContaining('entry 2 (http://b): scheme http: is not supported'),
    ]);
  });

  it('refuses contradictions, naming the variable to change', () => {
    expect(resolve({ MQTT_URL: 'mqtt://b', MQTT_TLS: 'true' }).errors).toEqual([
      expect.stringContaining('Invalid MQTT_TLS="true": contradicts MQTT_URL'),
    ]);
    expect(resolve({ MQTT_CA_FILE: '/ca.pem' }).errors).toEqual([
      expect.stringContaining(
        'Invalid MQTT_CA_FILE="/ca.pem": is set but the connection is not TLS',
      ),
    ]);
    expect(resolve({ MQTT_TLS: '1', MQTT_CERT_FILE: '/c.pem' }).errors).toEqual([
      expect.stringContaining('MQTT_CERT_FILE="/c.pem": needs MQTT_KEY_FILE'),
    ]);
    expect(
      resolve({ MQTT_USERNAME: 'u', MQTT_PASSWORD: 'p', MQTT_PASSWORD_FILE: '/pw' }).errors,
    ).toEqual([expect.stringContaining('Invalid MQTT_PASSWORD_FILE="/pw": set together')]);
    expect(resolve({ MQTT_PASSWORD: 'hunter2' }).errors).toEqual([
      expect.stringContaining('Invalid MQTT_PASSWORD=(hidden): is set without MQTT_USERNAME'),
    ]);
  });

  it('reads the password from the first line of its file, and the PEM files', () => {
    expect(
      resolve({
        MQTT_USERNAME: 'agent',
        MQTT_PASSWORD_FILE: '/pw',
        MQTT_TLS: 'true',
        MQTT_CA_FILE: '/ca.pem',
        MQTT_CERT_FILE: '/c.pem',
        MQTT_KEY_FILE: '/k.pem',
        MQTT_TLS_SERVERNAME: 'broker.plant.local',
      }).connection,
    ).toEqual({
      url: 'mqtts://localhost:8883',
      keepaliveSeconds: 60,
      username: 'agent',
      password: 's3cret',
      tls: { ca: 'CA PEM', cert: 'CERT', key: 'KEY', servername: 'broker.plant.local' },
    });
  });

  it('names a file that is missing, empty or has an empty first line', () => {
    expect(
      resolve({
        MQTT_USERNAME: 'u',
        MQTT_PASSWORD_FILE: '/blank-first-line',
        MQTT_TLS: 'true',
        MQTT_CA_FILE: '/missing.pem',
        MQTT_CERT_FILE: '/empty',
        MQTT_KEY_FILE: '/k.pem',
      }).errors,
    ).toEqual([
      expect.stringContaining(
        'MQTT_PASSWORD_FILE="/blank-first-line": the first line of the file is empty',
      ),
      expect.stringContaining(
        'MQTT_CA_FILE="/missing.pem": cannot read the file (ENOENT): no such file',
      ),
      expect.stringContaining('MQTT_CERT_FILE="/empty": the file is empty'),
    ]);
  });
});
