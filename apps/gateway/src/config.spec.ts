import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSpecProblems } from '@ot-mqtt/app-kit';
import { ENV_VARS, helpText, parseConfig } from './config.js';

const ok = (env: Record<string, string>) => {
  const r = parseConfig(env, []);
  if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
  return r.config;
};

describe('gateway configuration', () => {
  it('defaults: SQLite under ./data, 30 days, 127.0.0.1:8080, the local broker', () => {
    expect(ok({})).toMatchObject({
      db: './data/historian.sqlite',
      retentionDays: 30,
      host: '127.0.0.1',
      port: 8080,
      mqttUrl: 'mqtt://localhost:1883',
      topicRoot: 'plc/bottlefiller',
      shareGroup: 'historian',
      ingestConnections: 4,
      ingestInflight: 64,
      token: undefined,
      heartbeatMs: 60_000,
    });
  });

  it('reads the shared MQTT_* variables like the agent and viewer', () => {
    expect(ok({ MQTT_BROKER_HOST: 'broker', MQTT_BROKER_PORT: '1884' }).mqttUrl).toBe(
      'mqtt://broker:1884',
    );
    const r = parseConfig({ MQTT_URL: 'mqtts://b:8883', MQTT_BROKER_HOST: 'x' }, []);
    expect(r.kind === 'ok' && r.config.mqttUrl).toBe('mqtts://b:8883');
    expect(r.kind === 'ok' && r.warnings).toEqual(['MQTT_BROKER_HOST is ignored: MQTT_URL is set']);
  });

  it('MQTT_TLS switches the default URL to mqtts:// on 8883; TLS files are read once, never printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-tls-'));
    try {
      const pem = (name: string) => {
        const file = join(dir, name);
        writeFileSync(file, `-----BEGIN ${name}-----\n`);
        return file;
      };
      const tls = ok({
        MQTT_TLS: 'true',
        MQTT_BROKER_HOST: 'broker.plant',
        MQTT_CA_FILE: pem('ca'),
        MQTT_CERT_FILE: pem('cert'),
        MQTT_KEY_FILE: pem('key'),
        MQTT_TLS_SERVERNAME: 'mqtt.plant',
        MQTT_KEEPALIVE: '15',
      });
      expect(tls).toMatchObject({
        mqttUrl: 'mqtts://broker.plant:8883',
        keepaliveSeconds: 15,
        tls: {
          ca: '-----BEGIN ca-----\n',
          cert: '-----BEGIN cert-----\n',
          key: '-----BEGIN key-----\n',
          servername: 'mqtt.plant',
        },
      });
      expect(ok({ MQTT_TLS: 'true', MQTT_BROKER_PORT: '18883' }).mqttUrl).toBe(
        'mqtts://localhost:18883',
      );
      expect(ok({})).toMatchObject({ mqttUrl: 'mqtt://localhost:1883', tls: undefined });
      expect(ok({ MQTT_URL: 'mqtts://n1:8883,mqtts://n2:8883' }).tls).toEqual({});
      expect(helpText()).toMatch(
        /MQTT_BROKER_PORT[\s\S]*default: 1883 \(8883 with MQTT_TLS=true\)/,
      );
      // --help keeps its groups: the TLS variables beside the credentials, under Security.
      const security = helpText().split('\nSecurity:\n')[1]!.split('\n\n')[0]!;
      for (const name of [
        'MQTT_PASSWORD_FILE',
        'MQTT_TLS',
        'MQTT_CA_FILE',
        'MQTT_CERT_FILE',
        'MQTT_KEY_FILE',
        'MQTT_TLS_SERVERNAME',
      ])
        expect(security).toContain(`  ${name}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing CA file, TLS files without TLS, a certificate without its key: errors naming the variable', () => {
    const errors = (env: Record<string, string>) => {
      const r = parseConfig(env, []);
      return r.kind === 'error' ? r.errors.join('\n') : 'accepted';
    };
    expect(errors({ MQTT_TLS: 'true', MQTT_CA_FILE: '/nonexistent/ca.crt' })).toMatch(
      /^Invalid MQTT_CA_FILE="\/nonexistent\/ca\.crt": cannot read the file \(ENOENT\): no such file/,
    );
    expect(errors({ MQTT_CA_FILE: '/nonexistent/ca.crt' })).toMatch(
      /Invalid MQTT_CA_FILE=.*is set but the connection is not TLS/,
    );
    expect(errors({ MQTT_URL: 'mqtt://b:1883', MQTT_TLS: 'true' })).toMatch(
      /Invalid MQTT_TLS="true": contradicts MQTT_URL/,
    );
    expect(errors({ MQTT_TLS: 'true', MQTT_CERT_FILE: '/x.crt' })).toMatch(
      /Invalid MQTT_CERT_FILE="\/x\.crt": needs MQTT_KEY_FILE/,
    );
  });

  it('MQTT_URL lists the nodes of a cluster (failover in order); a bad entry stops the gateway naming MQTT_URL', () => {
    expect(ok({ MQTT_URL: 'mqtt://n1:1883, mqtt://n2:1884,mqtt://n3:1885' }).mqttUrl).toBe(
      'mqtt://n1:1883,mqtt://n2:1884,mqtt://n3:1885',
    );
    const bad = (MQTT_URL: string) => {
      const r = parseConfig({ MQTT_URL }, []);
      return r.kind === 'error' ? r.errors.join('\n') : `accepted ${MQTT_URL}`;
    };
    expect(bad('mqtt://n1:1883,http://n2:80')).toMatch(
      /^Invalid MQTT_URL=".*": entry 2 \(http:\/\/n2:80\): scheme http: is not supported\. Allowed: URLs with scheme mqtt:\/\/.*comma-separated/,
    );
    expect(bad('mqtt://n1:1883,,mqtt://n3:1883')).toMatch(
      /MQTT_URL=.*entry 2 \(""\): an empty entry/,
    );
    expect(bad('mqtts://n1:8883,mqtt://n2:1883')).toMatch(/MQTT_URL=.*mixes TLS/);
    // mqtt.js fails over between host:port pairs with one WebSocket path.
    expect(bad('ws://n1:8080/mqtt,ws://n2:8080/other')).toMatch(
      /MQTT_URL=.*ws\/wss entries with different paths/,
    );
    expect(ok({ MQTT_URL: 'ws://n1:8080/mqtt,ws://n2:8081/mqtt' }).mqttUrl).toContain(',');
    expect(helpText()).toMatch(/MQTT_URL[\s\S]*comma-separated[^\n]*ws\/wss ones with one path/);
  });

  it('GATEWAY_SHARE_GROUP=none: a plain subscription on one connection (brokers without $share)', () => {
    expect(ok({ GATEWAY_SHARE_GROUP: 'none', MQTT_PROTOCOL_VERSION: '4' })).toMatchObject({
      shareGroup: undefined,
      ingestConnections: 1,
      protocolVersion: 4,
    });
  });

  it('accepts a postgres:// URL for HISTORIAN_DB', () => {
    expect(ok({ HISTORIAN_DB: 'postgres://gw@db:5432/hist' }).db).toBe(
      'postgres://gw@db:5432/hist',
    );
  });

  it('reports every bad value at once, naming the variable and what is allowed', () => {
    const r = parseConfig(
      {
        GATEWAY_PORT: 'http',
        HISTORIAN_RETENTION_DAYS: '0',
        GATEWAY_INGEST_CONNECTIONS: '100',
        GATEWAY_INGEST_INFLIGHT: '0',
      },
      ['--verbose'],
    );
    expect(r.kind).toBe('error');
    const errors = r.kind === 'error' ? r.errors.join('\n') : '';
    expect(errors).toMatch(/unknown argument "--verbose"/);
    expect(errors).toMatch(
      /Invalid GATEWAY_PORT="http": not a whole number\. Allowed: a whole number, 0-65535/,
    );
    expect(errors).toMatch(/Invalid HISTORIAN_RETENTION_DAYS="0": below the minimum 1\./);
    expect(errors).toMatch(/Invalid GATEWAY_INGEST_CONNECTIONS="100": above the maximum 64\./);
    expect(errors).toMatch(/Invalid GATEWAY_INGEST_INFLIGHT="0": below the minimum 1\./);
  });

  it('never echoes a secret in an error', () => {
    const r = parseConfig({ GATEWAY_TOKEN: 'tiny', MQTT_PASSWORD: 'pw\u0007' }, []);
    const errors = r.kind === 'error' ? r.errors.join('\n') : '';
    expect(errors).toContain('GATEWAY_TOKEN=(hidden)');
    expect(errors).toContain('MQTT_PASSWORD=(hidden)');
    expect(errors).not.toContain('tiny');
  });

  it('--help is recognised and the text lists every variable with its real default', () => {
    expect(parseConfig({}, ['--help']).kind).toBe('help');
    expect(helpText()).toMatch(/HISTORIAN_RETENTION_DAYS[\s\S]*default: 30/);
    expect(envSpecProblems(ENV_VARS)).toEqual([]);
  });

  it('a password needs a user name, and comes from the variable or its file, not both', () => {
    const errors = (env: Record<string, string>) => {
      const r = parseConfig(env, []);
      return r.kind === 'error' ? r.errors.join('\n') : '';
    };
    expect(errors({ MQTT_PASSWORD: 'pw' })).toMatch(
      /Invalid MQTT_PASSWORD=\(hidden\): is set without MQTT_USERNAME/,
    );
    expect(errors({ MQTT_USERNAME: 'gw', MQTT_PASSWORD: 'pw', MQTT_PASSWORD_FILE: '/x' })).toMatch(
      /Invalid MQTT_PASSWORD_FILE="\/x": set together with MQTT_PASSWORD/,
    );
    expect(errors({ MQTT_USERNAME: 'gw', MQTT_PASSWORD_FILE: '/nonexistent/pw' })).toMatch(
      /Invalid MQTT_PASSWORD_FILE="\/nonexistent\/pw": cannot read the file \(ENOENT\)/,
    );
    expect(ok({ MQTT_USERNAME: 'gw', MQTT_PASSWORD: 'pw' })).toMatchObject({
      username: 'gw',
      password: 'pw',
    });
  });
});
