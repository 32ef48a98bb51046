import { describe, expect, it } from 'vitest';
import { filesInMemory } from '@ot-mqtt/app-kit/testing';
import {
  helpText,
  mqttFilterProblem,
  parseConfig,
  VARIABLES,
  type ConfigChecks,
  type ViewerConfig,
} from './config.js';

// Loaded lazily as main.ts does (the module-boundary rule insists); main.ts hands the same check in.
const { assertValidFilter } = await import('@ot-mqtt/mqtt-client');
const checks: ConfigChecks = {
  filterProblem: (f) => mqttFilterProblem(assertValidFilter, f),
  // The password and PEM files the tests name; any other path is missing (ENOENT).
  readFile: filesInMemory({ '/pw': 'hunter2\n', '/ca.pem': 'CA', '/empty': '' }),
};

function ok(env: Record<string, string>, argv: string[] = []): ViewerConfig {
  const result = parseConfig(env, argv, checks);
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.config;
}

function errors(env: Record<string, string>, argv: string[] = []): readonly string[] {
  const result = parseConfig(env, argv, checks);
  if (result.kind !== 'error') throw new Error(`expected errors, got ${JSON.stringify(result)}`);
  return result.errors;
}

describe('viewer configuration', () => {
  it("defaults to the architecture document's broker and topics", () => {
    expect(ok({})).toMatchObject({
      url: 'mqtt://localhost:1883',
      topic: 'plc/bottlefiller/#',
      topicRoot: 'plc/bottlefiller',
      mode: 'pretty',
      clientId: undefined,
      clean: true,
      qos: 1,
      protocolVersion: 4,
      logLevel: 'info',
      maxPayloadBytes: 262_144,
      statsIntervalMs: 10_000,
      noColor: false,
    });
  });

  it('builds the URL from MQTT_BROKER_HOST, MQTT_BROKER_PORT and MQTT_TLS; MQTT_URL wins', () => {
    expect(ok({ MQTT_BROKER_HOST: '10.0.0.5', MQTT_BROKER_PORT: '1884' }).url).toBe(
      'mqtt://10.0.0.5:1884',
    );
    expect(ok({ MQTT_BROKER_HOST: 'broker', MQTT_BROKER_PORT: '8883', MQTT_TLS: 'true' }).url).toBe(
      'mqtts://broker:8883',
    );
    expect(ok({ MQTT_BROKER_HOST: '::1' }).url).toBe('mqtt://[::1]:1883');
    expect(ok({ MQTT_URL: 'ws://broker:9001', MQTT_BROKER_HOST: 'ignored' }).url).toBe(
      'ws://broker:9001',
    );
  });

  it('follows TOPIC_ROOT for the default filter and accepts shared subscriptions', () => {
    expect(ok({ TOPIC_ROOT: 'site-a/line-3' }).topic).toBe('site-a/line-3/#');
    expect(ok({ VIEWER_TOPIC: '$share/viewers/plc/bottlefiller/#' }).topic).toBe(
      '$share/viewers/plc/bottlefiller/#',
    );
    expect(ok({ VIEWER_TOPIC: 'plc/bottlefiller/+/data' }).topic).toBe('plc/bottlefiller/+/data');
  });

  it('takes the mode from VIEWER_MODE or a flag, the flag winning', () => {
    expect(ok({ VIEWER_MODE: 'summary' }).mode).toBe('summary');
    expect(ok({ VIEWER_MODE: 'NDJSON' }).mode).toBe('ndjson');
    expect(ok({ VIEWER_MODE: 'summary' }, ['--ndjson']).mode).toBe('ndjson');
    expect(ok({}, ['--summary']).mode).toBe('summary');
  });

  it('keeps a persistent session when a client id is given, unless told otherwise', () => {
    expect(ok({ MQTT_CLIENT_ID: 'viewer-1' })).toMatchObject({
      clientId: 'viewer-1',
      clean: false,
    });
    expect(ok({ MQTT_CLIENT_ID: 'viewer-1', MQTT_CLEAN_SESSION: 'true' }).clean).toBe(true);
  });

  it('treats an empty variable as unset, and NO_COLOR as set only when non-empty', () => {
    expect(ok({ MQTT_BROKER_PORT: '', NO_COLOR: '' })).toMatchObject({
      url: 'mqtt://localhost:1883',
      noColor: false,
    });
    expect(ok({ NO_COLOR: '1' }).noColor).toBe(true);
    expect(ok({ FORCE_COLOR: '1' }).forceColor).toBe(true);
    expect(ok({ FORCE_COLOR: '0' }).forceColor).toBe(false);
  });

  it.each([
    ['MQTT_BROKER_HOST', 'bad host name'],
    ['MQTT_BROKER_PORT', 'abc'],
    ['MQTT_BROKER_PORT', '70000'],
    ['MQTT_BROKER_PORT', '0'],
    ['MQTT_URL', 'http://broker:80'],
    ['MQTT_URL', 'not a url'],
    ['VIEWER_TOPIC', 'plc/#/data'],
    ['VIEWER_TOPIC', 'plc/bottle+filler/data'],
    ['VIEWER_TOPIC', '$share//plc/#'],
    ['VIEWER_MODE', 'fancy'],
    ['TOPIC_ROOT', 'plc/+/x'],
    ['TOPIC_ROOT', '/plc'],
    ['MQTT_CLIENT_ID', 'has space'],
    ['MQTT_CLEAN_SESSION', 'maybe'],
    ['MQTT_PROTOCOL_VERSION', '3'],
    ['VIEWER_QOS', '2'],
    ['VIEWER_MAX_PAYLOAD_BYTES', '-1'],
    ['VIEWER_STATS_INTERVAL', 'often'],
    ['LOG_LEVEL', 'verbose'],
    ['MQTT_TLS', 'sometimes'],
    ['MQTT_TLS_SERVERNAME', 'bad name'],
  ])('rejects %s=%j naming the variable, the value and what is allowed', (name, value) => {
    const [message, ...rest] = errors({ [name]: value });
    expect(rest).toEqual([]);
    expect(message).toContain(name);
    expect(message).toContain(JSON.stringify(value));
    expect(message).toContain('Allowed:');
  });

  it('reports every bad variable at once', () => {
    expect(errors({ MQTT_BROKER_PORT: 'x', LOG_LEVEL: 'y', VIEWER_MODE: 'z' })).toHaveLength(3);
  });

  it('never prints a password, even when it is rejected', () => {
    const result = parseConfig(
      { MQTT_PASSWORD: 's3cret!', MQTT_PASSWORD_FILE: '/run/secrets/pw' },
      [],
    );
    expect(JSON.stringify(result)).not.toContain('s3cret!');
    expect(helpText()).not.toContain('s3cret!');
    expect(errors({ MQTT_PASSWORD: 's3cret!' }).join('\n')).toContain('MQTT_USERNAME');
  });

  it('requires a client certificate and its key together', () => {
    expect(errors({ MQTT_CERT_FILE: '/c.pem' })[0]).toContain('MQTT_KEY_FILE');
  });

  it('rejects unknown and conflicting arguments, and answers --help', () => {
    expect(errors({}, ['--verbose'])[0]).toContain('--verbose');
    expect(errors({}, ['--ndjson', '--summary'])[0]).toContain('choose one');
    expect(parseConfig({ MQTT_BROKER_PORT: 'bad' }, ['--help'])).toEqual({ kind: 'help' });
  });

  it('lists every variable with its default in --help', () => {
    const text = helpText();
    for (const v of VARIABLES) expect(text).toContain(v.name);
    expect(text).toContain('default: 1883');
    expect(text).toContain('default: localhost');
    expect(text).toContain('--ndjson');
  });
});

describe('configuration files', () => {
  it('reads the password from the first line of MQTT_PASSWORD_FILE', () => {
    const { connection } = ok({
      MQTT_USERNAME: 'viewer',
      MQTT_PASSWORD_FILE: '/pw',
      MQTT_TLS: 'true',
      MQTT_CA_FILE: '/ca.pem',
    });
    expect(connection).toMatchObject({
      username: 'viewer',
      password: 'hunter2',
      tls: { ca: 'CA' },
    });
  });

  it('names the variable and path of a missing or empty file', () => {
    expect(
      errors({
        MQTT_TLS: 'true',
        MQTT_CA_FILE: '/missing.pem',
        MQTT_CERT_FILE: '/empty',
        MQTT_KEY_FILE: '/ca.pem',
      }),
    ).toEqual([
      expect.stringContaining(
        'MQTT_CA_FILE="/missing.pem": cannot read the file (ENOENT): no such file',
      ),
      expect.stringContaining('MQTT_CERT_FILE="/empty": the file is empty'),
    ]);
  });

  it('warns (without refusing) of a topic root or filter a NATS cluster would refuse', () => {
    const result = parseConfig({ TOPIC_ROOT: 'site.a/line' }, [], checks);
    expect(result.kind === 'ok' && result.warnings).toEqual([
      'TOPIC_ROOT="site.a/line" contains ".", which a NATS MQTT gateway before 2.10 refuses (it closes the connection); fine on Mosquitto',
      'VIEWER_TOPIC="site.a/line/#" contains ".", which a NATS MQTT gateway before 2.10 refuses (it closes the connection); fine on Mosquitto',
    ]);
    expect(parseConfig({}, [], checks)).toMatchObject({ kind: 'ok', warnings: [] });
    const shared = parseConfig({ VIEWER_TOPIC: '$share/v/plc/bottlefiller/#' }, [], checks);
    expect(shared.kind === 'ok' && shared.warnings.join('\n')).toContain(
      'a NATS cluster accepts $share/ and delivers nothing',
    );
  });

  it('lists the /metrics variables and refuses a bad METRICS_PORT, naming it', () => {
    expect(helpText()).toContain('METRICS_MAX_MACHINES');
    expect(errors({ METRICS_PORT: 'ninety' })).toEqual([
      expect.stringContaining('Invalid METRICS_PORT="ninety"'),
    ]);
  });
});
