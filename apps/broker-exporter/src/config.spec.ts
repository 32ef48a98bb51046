import { envSpecProblems } from '@ot-mqtt/app-kit';
import { filesInMemory } from '@ot-mqtt/app-kit/testing';
import { describe, expect, it } from 'vitest';
import { ENV, loadConfig } from './config.js';

const readFile = filesInMemory({ '/run/secrets/pw': 's3cret\n', '/ca.pem': 'PEM' });

describe('broker-exporter configuration', () => {
  it('documents its real defaults', () => {
    expect(envSpecProblems(ENV)).toEqual([]);
  });

  it('defaults: localhost:1883, its own client id, /metrics on 127.0.0.1:9234, stale after 35 s', () => {
    const loaded = loadConfig({}, readFile);
    expect(loaded).toMatchObject({
      ok: true,
      config: {
        connection: { url: 'mqtt://localhost:1883' },
        clientId: 'ot-mqtt-broker-exporter',
        port: 9234,
        host: '127.0.0.1',
        staleAfterMs: 35_000,
      },
    });
  });

  it('reads the $SYS account, its password file and CA for a TLS broker', () => {
    const broker = { MQTT_URL: 'mqtts://broker:8883', MQTT_CA_FILE: '/ca.pem' };
    const account = { MQTT_USERNAME: 'broker-metrics', MQTT_PASSWORD_FILE: '/run/secrets/pw' };
    const metrics = { METRICS_PORT: '9500', METRICS_HOST: '0.0.0.0', SYS_STALE_AFTER: '5' };
    const loaded = loadConfig({ ...broker, ...account, ...metrics }, readFile);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
    const { connection, port, host, staleAfterMs } = loaded.config;
    expect(connection).toMatchObject({ url: 'mqtts://broker:8883', password: 's3cret' });
    expect([connection.username, connection.tls?.ca]).toEqual(['broker-metrics', 'PEM']);
    expect([port, host, staleAfterMs]).toEqual([9500, '0.0.0.0', 5_000]);
  });

  it('names every bad variable at once', () => {
    const bad = { METRICS_PORT: 'http', MQTT_URL: 'http://x', SYS_STALE_AFTER: '-1' };
    const loaded = loadConfig(
      { ...bad, MQTT_PASSWORD_FILE: '/missing', MQTT_USERNAME: 'u' },
      readFile,
    );
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => e.variable).sort()).toEqual([
      'METRICS_PORT',
      'MQTT_PASSWORD_FILE',
      'MQTT_URL',
      'SYS_STALE_AFTER',
    ]);
  });
});
