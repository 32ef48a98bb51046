import { describe, expect, it } from 'vitest';
import { natsNodeConfig } from './node-config.js';
import { ClusterOptionError, parseClusterServeOptions } from './serve-options.js';

const ports = { client: 4222, http: 8222, route: 6222, mqtt: 1883, ws: 9001 };
const routes = ['nats-route://127.0.0.1:6222', 'nats-route://127.0.0.1:6223'];

describe('natsNodeConfig', () => {
  it('names the node, routes to every node, replicates the MQTT streams 3 times and serves WebSocket', () => {
    const text = natsNodeConfig({
      name: 'n1',
      clusterName: 'ot-mqtt',
      ports,
      routes,
      storeDir: '/data/n1',
    });
    expect(text).toContain('server_name: "n1"');
    expect(text).toContain('store_dir: "/data/n1"');
    expect(text).toContain('"nats-route://127.0.0.1:6223"');
    expect(text).toMatch(/mqtt \{\n {2}listen: "127\.0\.0\.1:1883"\n {2}stream_replicas: 3\n\}/);
    expect(text).toMatch(/websocket \{\n {2}listen: "127\.0\.0\.1:9001"\n {2}no_tls: true\n\}/);
  });

  it('quotes paths (spaces, quotes) and refuses names and ports NATS would not take', () => {
    expect(
      natsNodeConfig({ name: 'n1', clusterName: 'c', ports, routes, storeDir: '/a b/"x"' }),
    ).toContain('store_dir: "/a b/\\"x\\""');
    expect(() =>
      natsNodeConfig({ name: 'n 1', clusterName: 'c', ports, routes, storeDir: '/d' }),
    ).toThrow(/node name/);
    expect(() =>
      natsNodeConfig({
        name: 'n1',
        clusterName: 'c',
        ports: { ...ports, mqtt: 0 },
        routes,
        storeDir: '/d',
      }),
    ).toThrow(/mqtt port/);
  });
});

describe('npx nx serve cluster options', () => {
  it('takes three ports per listener, a data folder and a host', () => {
    expect(
      parseClusterServeOptions([
        '--mqtt-ports',
        '1883,1884,1885',
        '--ws-ports',
        '9001,9002,9003',
        '--data-dir',
        'd',
      ]),
    ).toEqual({
      mqttPorts: [1883, 1884, 1885],
      wsPorts: [9001, 9002, 9003],
      dataDir: 'd',
      host: '127.0.0.1',
    });
    expect(parseClusterServeOptions([])).toEqual({
      mqttPorts: undefined,
      wsPorts: undefined,
      dataDir: undefined,
      host: '127.0.0.1',
    });
  });

  it.each([
    [['--mqtt-ports', '1883,1884'], /--mqtt-ports must be three/],
    [['--mqtt-ports', '1883,1883,1884'], /twice/],
    [['--ws-ports', '1,2,70000'], /--ws-ports must be three/],
    [['--mqtt-ports', '1,2,3', '--ws-ports', '3,4,5'], /both list port 3/],
    [['--nodes', '5'], /Unknown option '--nodes'/],
  ])('refuses %j naming the option', (args, message) => {
    expect(() => parseClusterServeOptions(args)).toThrow(ClusterOptionError);
    expect(() => parseClusterServeOptions(args)).toThrow(message);
  });
});
