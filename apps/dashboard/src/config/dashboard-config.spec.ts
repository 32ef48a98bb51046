import { describe, expect, it } from 'vitest';
import { resolveDashboardConfig } from './dashboard-config.js';

const page = (search = '', protocol = 'http:', hostname = 'hmi.plant') => ({
  protocol,
  hostname,
  search,
});

describe('resolveDashboardConfig', () => {
  it('defaults to ws:// + the page host + :9001 (wss + 9443 on an https page)', () => {
    expect(resolveDashboardConfig(page(), undefined)).toMatchObject({
      mqttUrl: 'ws://hmi.plant:9001',
      topicRoot: 'plc/bottlefiller',
      login: false,
      source: 'default',
    });
    expect(resolveDashboardConfig(page('', 'https:'), undefined)).toMatchObject({
      mqttUrl: 'wss://hmi.plant:9443',
      login: true,
    });
  });

  it('uses the gateway’s mqttUrl, and asks for a login over wss', () => {
    expect(resolveDashboardConfig(page(), { mqttUrl: 'wss://broker.plant:9443' })).toMatchObject({
      mqttUrl: 'wss://broker.plant:9443',
      login: true,
      source: 'gateway',
    });
  });

  it('a bad served value is named and the default used', () => {
    const config = resolveDashboardConfig(page(), { mqttUrl: 'mqtt://broker:1883' });
    expect(config.mqttUrl).toBe('ws://hmi.plant:9001');
    expect(config.warning).toContain('mqttUrl must be a ws:// or wss:// URL');
    expect(resolveDashboardConfig(page(), 'invalid').warning).toContain('not a JSON object');
  });

  it('query parameters override (a second fleet in another tab, tests)', () => {
    expect(
      resolveDashboardConfig(page('?broker=ws%3A%2F%2F127.0.0.1%3A1234&root=site%2Fline2'), {
        mqttUrl: 'ws://x:9001',
      }),
    ).toMatchObject({
      mqttUrl: 'ws://127.0.0.1:1234',
      topicRoot: 'site/line2',
      source: 'query',
    });
  });
});
