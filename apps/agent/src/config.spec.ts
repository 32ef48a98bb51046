import { describe, expect, it } from 'vitest';
import { filesInMemory } from '@ot-mqtt/app-kit/testing';
import { loadConfig, type AgentConfig } from './config.js';
import { ENV_VARS } from './env-vars.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLAUSIBLE_SHIFT } from '@ot-mqtt/plc-sim';
import { scenariosByMachine } from './sim-scenarios.js';

const readFile = filesInMemory({
  '/secrets/pw': 's3cret-from-file\n',
  '/certs/ca.pem': 'CA PEM',
  '/certs/agent.pem': 'CERT PEM',
  '/certs/agent.key': 'KEY PEM',
  '/secrets/filler-0001.password': 'pw-1\n',
  '/secrets/filler-0002.password': 'pw-2\n',
});

function ok(env: Record<string, string>): AgentConfig {
  const result = loadConfig(env, readFile);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.config;
}

function errorsOf(env: Record<string, string>): string[] {
  const result = loadConfig(env, readFile);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(env)}`);
  return result.errors.map((e) => e.message);
}

describe('agent configuration', () => {
  it('defaults to the architecture document: localhost:1883, every 2.0 s, plc/bottlefiller', () => {
    expect(ok({})).toEqual({
      url: 'mqtt://localhost:1883',
      clientId: 'ot-mqtt-agent-filler-01',
      keepaliveSeconds: 60,
      machineId: 'filler-01',
      fleet: {
        size: 1,
        shard: { index: 0, count: 1 },
        machineIds: ['filler-01'],
        includeMachineLevel: false,
        connectionMode: 'shared',
        clientIds: ['ot-mqtt-agent-filler-01'],
      },
      topicRoot: 'plc/bottlefiller',
      publishIntervalMs: 2000,
      seed: undefined,
      timeScale: 1,
      scenario: { all: { name: 'plausible', filler: { shift: PLAUSIBLE_SHIFT } }, ranges: [] },
      outbox: { maxMessages: 10_000, overflow: 'drop-oldest', budgetBytes: 128 * 1024 * 1024 },
      shutdownTimeoutMs: 5000,
      logLevel: 'info',
      logFormat: 'text',
      summaryIntervalMs: 30_000,
      payload: { format: 'json', compression: 'none' },
    });
  });

  it.each([
    ['MQTT_BROKER_HOST', 'broker.plant.local', { url: 'mqtt://broker.plant.local:1883' }],
    ['MQTT_BROKER_PORT', '11883', { url: 'mqtt://localhost:11883' }],
    ['MQTT_KEEPALIVE', '30', { keepaliveSeconds: 30 }],
    ['PUBLISH_INTERVAL', '0.25', { publishIntervalMs: 250 }],
    ['MACHINE_ID', 'filler-07', { machineId: 'filler-07', clientId: 'ot-mqtt-agent-filler-07' }],
    ['SIM_SEED', '42', { seed: 42 }],
    ['SIM_TIME_SCALE', '10', { timeScale: 10 }],
    ['TOPIC_ROOT', 'site1/line2/filler', { topicRoot: 'site1/line2/filler' }],
    ['LOG_LEVEL', 'DEBUG', { logLevel: 'debug' }],
    ['LOG_FORMAT', 'json', { logFormat: 'json' }],
    ['SUMMARY_INTERVAL', '0', { summaryIntervalMs: 0 }],
    ['OUTBOX_MAX_MESSAGES', '500', { outbox: { maxMessages: 500 } }],
    ['OUTBOX_OVERFLOW', 'reject-new', { outbox: { overflow: 'reject-new' } }],
    ['OUTBOX_BUDGET_MB', '16', { outbox: { budgetBytes: 16 * 1024 * 1024 } }],
    ['SHUTDOWN_TIMEOUT', '1.5', { shutdownTimeoutMs: 1500 }],
  ])('reads %s=%j', (name, value, expected) => {
    expect(ok({ [name]: value })).toMatchObject(expected);
  });

  it('treats an empty value as unset, as a compose file with VAR= intends', () => {
    expect(ok({ MQTT_BROKER_PORT: '', PUBLISH_INTERVAL: '' })).toMatchObject({
      url: 'mqtt://localhost:1883',
      publishIntervalMs: 2000,
    });
  });

  it('brackets an IPv6 broker address in the URL', () => {
    expect(ok({ MQTT_BROKER_HOST: '::1' }).url).toBe('mqtt://[::1]:1883');
    expect(ok({ MQTT_BROKER_HOST: '192.168.10.5' }).url).toBe('mqtt://192.168.10.5:1883');
  });

  it('lets MQTT_URL override host and port, with a warning that they are ignored', () => {
    const result = loadConfig({ MQTT_URL: 'ws://127.0.0.1:9001', MQTT_BROKER_PORT: '1884' });
    expect(result).toMatchObject({
      ok: true,
      config: { url: 'ws://127.0.0.1:9001' },
      warnings: ['MQTT_BROKER_PORT is ignored: MQTT_URL is set'],
    });
  });

  // Each variable with the values it refuses and what its message says is allowed.
  const REFUSED: ReadonlyArray<
    readonly [name: string, values: readonly string[], allowed: string]
  > = [
    ['MQTT_BROKER_HOST', ['mqtt://broker', 'bad host'], 'host name'],
    ['MQTT_BROKER_PORT', ['abc', '0', '70000', '1883.5'], '1-65535'],
    ['MQTT_URL', ['localhost:1883', 'http://broker:80'], 'mqtt://'],
    ['MQTT_CLIENT_ID', ['has space'], 'printable ASCII'],
    ['MQTT_CLIENT_ID', ['x'.repeat(129)], '1-128'],
    ['MQTT_KEEPALIVE', ['-1'], '0-65535'],
    ['MQTT_TLS', ['maybe'], 'true or false'],
    ['MACHINE_ID', ['filler/01', '+'], 'letters, digits'],
    ['PUBLISH_INTERVAL', ['fast', '0', '-2', '1e3', '0.001'], 'greater than 0'],
    ['SIM_SEED', ['-5', '4294967296'], '0-4294967295'],
    ['SIM_TIME_SCALE', ['0'], 'greater than 0'],
    ['SIM_TIME_SCALE', ['5000'], 'at most 1000'],
    ['SIM_SCENARIO', ['/no/such.yaml'], 'cannot read the scenario file /no/such.yaml (ENOENT)'],
    ['TOPIC_ROOT', ['plc/#'], 'without wildcards'],
    ['TOPIC_ROOT', ['/plc/bottlefiller', 'plc/bottlefiller/'], 'empty levels'],
    ['TOPIC_ROOT', ['$SYS/x'], 'leading $'],
    ['OUTBOX_MAX_MESSAGES', ['0'], '1-10000000'],
    ['OUTBOX_OVERFLOW', ['drop-newest'], 'drop-oldest or reject-new'],
    ['SHUTDOWN_TIMEOUT', ['301'], '0-300'],
    ['LOG_LEVEL', ['verbose'], 'error, warn, info or debug'],
    ['LOG_FORMAT', ['xml'], 'text or json'],
    ['SUMMARY_INTERVAL', ['often'], '0-86400'],
  ];

  it.each(
    REFUSED.flatMap(([name, values, allowed]) =>
      values.map((value) => [name, value, allowed] as const),
    ),
  )('rejects %s=%j naming the variable, the value and what is allowed', (name, value, allowed) => {
    const [message, ...more] = errorsOf({ [name]: value });
    expect(more).toEqual([]);
    expect(message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(message).toContain(allowed);
  });

  it('checks every variable it documents (no variable without a rejection test above)', () => {
    const free = new Set(['MQTT_USERNAME', 'MQTT_PASSWORD', 'MQTT_PASSWORD_FILE']);
    const fileVars = new Set(['MQTT_CA_FILE', 'MQTT_CERT_FILE', 'MQTT_KEY_FILE']);
    for (const v of ENV_VARS) {
      if (free.has(v.name) || fileVars.has(v.name)) continue;
      expect(v.schema.safeParse('\u0000 not valid for anything \u0000').success, v.name).toBe(
        false,
      );
    }
  });

  it('reads SIM_SCENARIO: a shipped name or a file; a wrong field stops it naming the field', () => {
    expect(ok({ SIM_SCENARIO: 'steady' }).scenario).toEqual({
      all: { name: 'steady', filler: {} },
      ranges: [],
    });
    expect(ok({ SIM_SCENARIO: 'bad-shift' }).scenario.all.name).toBe('bad shift');
    const fleet = ok({ SIM_SCENARIO: '1-2=bad-shift, 4=steady, good-shift', FILLER_COUNT: '6' });
    expect(fleet.scenario.ranges.map((r) => [r.first, r.last, r.scenario.name])).toEqual([
      [1, 2, 'bad shift'],
      [4, 4, 'steady'],
    ]);
    expect(fleet.scenario.all.name).toBe('good shift');
    const second = ok({
      SIM_SCENARIO: '1-2=bad-shift,steady',
      FILLER_COUNT: '6',
      FILLER_SHARD: '1/3',
    });
    expect(
      [...scenariosByMachine(second.scenario, second.fleet)].map(([id, s]) => [id, s.name]),
    ).toEqual([
      ['filler-0003', 'steady'],
      ['filler-0004', 'steady'],
    ]);
    const first = ok({
      SIM_SCENARIO: '1-2=bad-shift,steady',
      FILLER_COUNT: '6',
      FILLER_SHARD: '0/3',
    });
    expect(
      [...scenariosByMachine(first.scenario, first.fleet).values()].map((s) => s.name),
    ).toEqual(['bad shift', 'bad shift']);
    expect(errorsOf({ SIM_SCENARIO: 'steady,plausible' })[0]).toContain(
      'two scenarios without a machine range: plausible',
    );
    expect(errorsOf({ SIM_SCENARIO: '5-2=steady' })[0]).toContain('not a machine range');
    const dir = mkdtempSync(join(tmpdir(), 'agent-scenario-'));
    try {
      const file = join(dir, 'late.yaml');
      writeFileSync(file, 'schedule:\n  - { at: "10:00", action: inject, fault: emptyTank }\n');
      expect(ok({ SIM_SCENARIO: file }).scenario.all.filler.shift?.schedule).toEqual([
        { atMs: 4 * 3600_000, action: 'inject', fault: 'emptyTank' },
      ]);
      writeFileSync(file, 'schedule:\n  - { at: "10:00", action: inject, fault: flood }\n');
      const [message] = errorsOf({ SIM_SCENARIO: file });
      expect(message).toContain(`Invalid SIM_SCENARIO=${JSON.stringify(file)}`);
      expect(message).toContain(`${JSON.stringify(file)}: schedule[0].fault`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every invalid variable at once, not only the first', () => {
    const errors = errorsOf({ MQTT_BROKER_PORT: 'x', PUBLISH_INTERVAL: 'y', LOG_LEVEL: 'z' });
    expect(errors.map((e) => e.split('=')[0])).toEqual([
      'Invalid MQTT_BROKER_PORT',
      'Invalid PUBLISH_INTERVAL',
      'Invalid LOG_LEVEL',
    ]);
  });

  describe('credentials and TLS (issue 5)', () => {
    it('reads the password from MQTT_PASSWORD_FILE, first line only', () => {
      expect(ok({ MQTT_USERNAME: 'agent', MQTT_PASSWORD_FILE: '/secrets/pw' }).auth).toEqual({
        username: 'agent',
        password: 's3cret-from-file',
      });
    });

    it('never shows a password in an error message', () => {
      const errors = errorsOf({ MQTT_PASSWORD: 'hunter2' });
      expect(errors).toEqual([expect.stringContaining('MQTT_PASSWORD=(hidden)')]);
      expect(errors.join('\n')).not.toContain('hunter2');
      expect(errorsOf({ MQTT_URL: 'mqtt://u:hunter2@broker:1883' }).join('\n')).toContain(
        'use MQTT_USERNAME and MQTT_PASSWORD',
      );
    });

    it('refuses MQTT_PASSWORD together with MQTT_PASSWORD_FILE', () => {
      expect(
        errorsOf({ MQTT_USERNAME: 'a', MQTT_PASSWORD: 'p', MQTT_PASSWORD_FILE: '/secrets/pw' }),
      ).toEqual([expect.stringContaining('Invalid MQTT_PASSWORD_FILE="/secrets/pw"')]);
    });

    it('names a password file that cannot be read', () => {
      expect(errorsOf({ MQTT_USERNAME: 'a', MQTT_PASSWORD_FILE: '/nope' })).toEqual([
        expect.stringMatching(/MQTT_PASSWORD_FILE="\/nope": cannot read the file \(ENOENT\)/),
      ]);
    });

    it('switches to mqtts:// on port 8883 with MQTT_TLS=true and loads the PEM files', () => {
      const { url, tls } = ok({
        MQTT_TLS: 'true',
        MQTT_BROKER_HOST: '10.0.0.5',
        MQTT_CA_FILE: '/certs/ca.pem',
        MQTT_CERT_FILE: '/certs/agent.pem',
        MQTT_KEY_FILE: '/certs/agent.key',
        MQTT_TLS_SERVERNAME: 'broker.plant.local',
      });
      expect(url).toBe('mqtts://10.0.0.5:8883');
      expect(tls).toEqual({
        ca: 'CA PEM',
        cert: 'CERT PEM',
        key: 'KEY PEM',
        servername: 'broker.plant.local',
      });
    });

    it('takes TLS from an mqtts:// or wss:// URL', () => {
      expect(ok({ MQTT_URL: 'wss://broker:8884/mqtt', MQTT_CA_FILE: '/certs/ca.pem' }).tls).toEqual(
        { ca: 'CA PEM' },
      );
    });

    it('refuses TLS files on a plain connection rather than silently sending in clear text', () => {
      expect(errorsOf({ MQTT_CA_FILE: '/certs/ca.pem' })).toEqual([
        expect.stringContaining(
          'Invalid MQTT_CA_FILE="/certs/ca.pem": is set but the connection is not TLS',
        ),
      ]);
      expect(errorsOf({ MQTT_URL: 'mqtt://broker:1883', MQTT_TLS: 'true' })).toEqual([
        expect.stringContaining('Invalid MQTT_TLS="true": contradicts MQTT_URL'),
      ]);
    });

    it('needs a certificate and its key together', () => {
      expect(errorsOf({ MQTT_TLS: '1', MQTT_CERT_FILE: '/certs/agent.pem' })).toEqual([
        expect.stringContaining('MQTT_CERT_FILE="/certs/agent.pem": needs MQTT_KEY_FILE'),
      ]);
    });
  });

  describe('fleet mode (issue 6)', () => {
    it('FILLER_COUNT=3: numbered machine ids filler-0001…, machine level in the topics, one shared connection per shard', () => {
      expect(ok({ FILLER_COUNT: '3' }).fleet).toEqual({
        size: 3,
        shard: { index: 0, count: 1 },
        machineIds: ['filler-0001', 'filler-0002', 'filler-0003'],
        includeMachineLevel: true,
        connectionMode: 'shared',
        clientIds: ['ot-mqtt-agent-filler-shard-0-of-1'],
      });
    });

    it('MACHINE_ID is the prefix of the numbered ids; FILLER_SHARD picks a contiguous slice', () => {
      const { fleet } = ok({ FILLER_COUNT: '5', FILLER_SHARD: '1/2', MACHINE_ID: 'line2' });
      expect(fleet.machineIds).toEqual(['line2-0003', 'line2-0004', 'line2-0005']);
      expect(fleet.clientIds).toEqual(['ot-mqtt-agent-line2-shard-1-of-2']);
    });

    it('CONNECTION_MODE=per-filler: one client id per machine, MQTT_CLIENT_ID as prefix', () => {
      expect(ok({ FILLER_COUNT: '2', CONNECTION_MODE: 'per-filler' }).fleet.clientIds).toEqual([
        'ot-mqtt-agent-filler-0001',
        'ot-mqtt-agent-filler-0002',
      ]);
      expect(
        ok({ FILLER_COUNT: '2', CONNECTION_MODE: 'Per-Filler', MQTT_CLIENT_ID: 'hall3' }).fleet
          .clientIds,
      ).toEqual(['hall3-filler-0001', 'hall3-filler-0002']);
    });

    it.each([
      [{ FILLER_COUNT: '0' }, 'FILLER_COUNT="0": below the minimum 1'],
      [{ FILLER_COUNT: '100001' }, 'FILLER_COUNT="100001": above the maximum 100000'],
      [{ FILLER_COUNT: 'many' }, 'FILLER_COUNT="many": not a whole number'],
      [{ FILLER_SHARD: '2/2', FILLER_COUNT: '4' }, 'FILLER_SHARD="2/2": not i/n'],
      [{ FILLER_SHARD: '0/3', FILLER_COUNT: '2' }, 'FILLER_SHARD="0/3": has more shards (3)'],
      [
        { CONNECTION_MODE: 'dedicated' },
        'CONNECTION_MODE="dedicated": not one of shared, per-filler',
      ],
      [{ FILLER_COUNT: '10', MACHINE_ID: 'x'.repeat(62) }, 'MACHINE_ID="xxxx'],
    ])('refuses %j, naming the variable', (env, message) => {
      expect(errorsOf(env).join('\n')).toContain(message);
    });
  });

  it('warns (without refusing) of a topic root or machine id a NATS cluster would refuse', () => {
    const loaded = loadConfig({ TOPIC_ROOT: 'site.a/line', MACHINE_ID: 'line 2' });
    expect(loaded.ok).toBe(false); // a space is no machine id at all
    const dotted = loadConfig({ MACHINE_ID: 'line.2' });
    expect(dotted.ok && dotted.warnings).toEqual([
      'MACHINE_ID="line.2" contains ".", which a NATS MQTT gateway before 2.10 refuses (it closes the connection); fine on Mosquitto',
    ]);
  });
});

describe('per-filler identities ({machineId} in MQTT_USERNAME, MQTT_PASSWORD_FILE, MQTT_CLIENT_ID)', () => {
  const perFillerMode = { FILLER_COUNT: '2', CONNECTION_MODE: 'per-filler' };
  const perFiller = {
    ...perFillerMode,
    MQTT_USERNAME: '{machineId}',
    MQTT_PASSWORD_FILE: '/secrets/{machineId}.password',
  };

  it('gives each filler connection its own user, password and client id', () => {
    const { fleet } = ok({ ...perFiller, MQTT_CLIENT_ID: 'line-a/{machineId}' });
    expect(fleet.identities).toEqual([
      { username: 'filler-0001', password: 'pw-1' },
      { username: 'filler-0002', password: 'pw-2' },
    ]);
    expect(fleet.clientIds).toEqual(['line-a/filler-0001', 'line-a/filler-0002']);
  });

  it('a shared MQTT_PASSWORD goes with every filler user name', () => {
    const { fleet } = ok({ ...perFillerMode, MQTT_USERNAME: 'gw-{machineId}', MQTT_PASSWORD: 'x' });
    expect(fleet.identities).toEqual([
      { username: 'gw-filler-0001', password: 'x' },
      { username: 'gw-filler-0002', password: 'x' },
    ]);
  });

  it('names the filler whose password file is missing', () => {
    expect(errorsOf({ ...perFiller, FILLER_COUNT: '3' }).join('\n')).toMatch(
      /MQTT_PASSWORD_FILE.*cannot read \/secrets\/filler-0003\.password, filler-0003's password \(ENOENT\)/,
    );
  });

  it('refuses {machineId} without CONNECTION_MODE=per-filler, naming each variable', () => {
    const messages = errorsOf({
      FILLER_COUNT: '2',
      MQTT_USERNAME: '{machineId}',
      MQTT_CLIENT_ID: 'a-{machineId}',
      MQTT_PASSWORD: 'x',
    }).join('\n');
    for (const name of ['MQTT_USERNAME', 'MQTT_CLIENT_ID'])
      expect(messages).toMatch(new RegExp(`${name}.*needs CONNECTION_MODE=per-filler`));
  });

  it('refuses a password file per filler for one shared user name', () => {
    expect(errorsOf({ ...perFiller, MQTT_USERNAME: 'agent' }).join('\n')).toMatch(
      /MQTT_PASSWORD_FILE.*MQTT_USERNAME does not: one user name has one password/,
    );
  });
});
