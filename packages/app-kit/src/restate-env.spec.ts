import { describe, expect, it } from 'vitest';
import { documentedDefault, envSpecProblems } from './env-var.js';
import { METRICS_ENV } from './metrics-env.js';
import { MQTT_CLIENT_ID, MQTT_ENV, MQTT_URL } from './mqtt-env.js';
import { parseEnv } from './parse-env.js';
import { restateEnv } from './restate-env.js';

describe('restateEnv', () => {
  it("keeps the shared table's order and rules, with the app's own words where given", () => {
    const own = restateEnv(MQTT_ENV, {
      MQTT_CLIENT_ID: { defaultText: 'my-bridge', description: 'Client id of the bridge.' },
    });
    expect(own.map((v) => v.name)).toEqual(MQTT_ENV.map((v) => v.name));
    const clientId = own.find((v) => v.name === 'MQTT_CLIENT_ID');
    expect(clientId).toMatchObject({
      defaultText: 'my-bridge',
      description: 'Client id of the bridge.',
    });
    expect(clientId?.schema).toBe(MQTT_CLIENT_ID.schema);
    expect(MQTT_CLIENT_ID.defaultText).not.toBe('my-bridge'); // the shared one is left as is
    expect(parseEnv(own, { MQTT_CLIENT_ID: 'has space' }).errors.map((e) => e.variable)).toEqual([
      'MQTT_CLIENT_ID',
    ]);
  });

  it("gives a shared variable the app's own default, documented as itself", () => {
    const own = restateEnv(MQTT_ENV, {
      MQTT_CLIENT_ID: { default: 'my-bridge' },
      MQTT_KEEPALIVE: { default: 30 },
    });
    expect(envSpecProblems(own)).toEqual([]);
    expect(documentedDefault(own.find((v) => v.name === 'MQTT_CLIENT_ID')!)).toBe('my-bridge');
    const { values } = parseEnv(own, {});
    // Typed as defaulted: no `undefined` to handle.
    const clientId: string = values.MQTT_CLIENT_ID;
    expect([clientId, values.MQTT_KEEPALIVE]).toEqual(['my-bridge', 30]);
    expect(parseEnv(MQTT_ENV, {}).values.MQTT_CLIENT_ID).toBeUndefined();
  });

  it('narrows a rule, never widens it: both checks apply and `allowed` says so', () => {
    const [url] = restateEnv([MQTT_URL] as const, {
      MQTT_URL: {
        refine: { check: (u) => u.startsWith('mqtts:'), message: 'not TLS', allowed: 'TLS only' },
      },
    });
    expect(url.allowed).toBe(`${MQTT_URL.allowed}; TLS only`);
    const errors = (value: string) =>
      parseEnv([url], { MQTT_URL: value }).errors.map((e) => e.message);
    expect(errors('mqtts://broker:8883')).toEqual([]);
    expect(errors('mqtt://broker:1883').join()).toContain('not TLS');
    // The shared rule still applies to what the app's check would let through.
    expect(errors('http://broker').join()).toContain('scheme http: is not supported');
  });
});

describe('METRICS_ENV', () => {
  it('documents its real defaults and names the variable of a bad value', () => {
    expect(envSpecProblems(METRICS_ENV)).toEqual([]);
    const parsed = parseEnv(METRICS_ENV, { METRICS_PORT: 'ninety', METRICS_HOST: 'a b' });
    expect(parsed.errors.map((e) => e.variable)).toEqual(['METRICS_PORT', 'METRICS_HOST']);
    expect(parsed.values).toEqual({
      METRICS_PORT: undefined,
      METRICS_HOST: '127.0.0.1',
      METRICS_MAX_MACHINES: 100,
    });
  });
});
