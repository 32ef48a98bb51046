import { createBrokerTest, type StartMosquittoOptions } from '@ot-mqtt/broker/testing';
import { createMqttClient, type MqttClient, type MqttClientOptions } from './index.js';
import { startTcpProxy, type TcpProxy, type TcpProxyOptions } from './tcp-proxy.test-helper.js';

/**
 * The broker fixtures of `@ot-mqtt/broker/testing` (brokers without persistence unless `options`
 * say otherwise) plus what every client test makes and must end: clients (closed with a 500 ms
 * drain when the test ends, before its brokers — name the broker fixture first) and TCP proxies.
 */
export function createClientTest(options: StartMosquittoOptions = {}) {
  return createBrokerTest({ persistence: false, ...options })
    .extend(
      'makeClient',
      async (
        // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from the pattern
        {},
        { onCleanup },
      ) => {
        const clients: MqttClient[] = [];
        onCleanup(async () => {
          await Promise.all(clients.map((c) => c.close({ timeoutMs: 500 })));
        });
        return (clientOptions: MqttClientOptions): MqttClient => {
          const client = createMqttClient(clientOptions);
          clients.push(client);
          return client;
        };
      },
    )
    .extend(
      'tcpProxy',
      async (
        // eslint-disable-next-line no-empty-pattern -- as above
        {},
        { onCleanup },
      ) => {
        const proxies: TcpProxy[] = [];
        onCleanup(async () => {
          await Promise.all(proxies.map((p) => p.close()));
        });
        return async (targetUrl: string, proxyOptions?: TcpProxyOptions): Promise<TcpProxy> => {
          const proxy = await startTcpProxy(Number(new URL(targetUrl).port), proxyOptions);
          proxies.push(proxy);
          return proxy;
        };
      },
    );
}

/** {@link createClientTest} with brokers of the development profile without persistence. */
export const clientTest = createClientTest();
