import {
  createBrokerTest,
  ownedFixture,
  type StartMosquittoOptions,
} from '@ot-mqtt/broker/testing';
import { createMqttClient } from './index.js';
import { startTcpProxy, type TcpProxyOptions } from './tcp-proxy.test-helper.js';

/**
 * The broker fixtures of `@ot-mqtt/broker/testing` (brokers without persistence unless `options`
 * say otherwise) plus what every client test makes and must end: clients (closed with a 500 ms
 * drain when the test ends, before its brokers — name the broker fixture first) and TCP proxies.
 */
export function createClientTest(options: StartMosquittoOptions = {}) {
  return createBrokerTest({ persistence: false, ...options })
    .extend(
      'makeClient',
      ownedFixture(createMqttClient, (client) => client.close({ timeoutMs: 500 })),
    )
    .extend(
      'tcpProxy',
      ownedFixture(
        (targetUrl: string, proxyOptions?: TcpProxyOptions) =>
          startTcpProxy(Number(new URL(targetUrl).port), proxyOptions),
        (proxy) => proxy.close(),
      ),
    );
}

/** {@link createClientTest} with brokers of the development profile without persistence. */
export const clientTest = createClientTest();
