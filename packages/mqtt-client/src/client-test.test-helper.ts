import {
  createBrokerTest,
  ownedFixture,
  type RunningMosquitto,
  type StartMosquittoOptions,
} from '@ot-mqtt/broker/testing';
import { createMqttClient } from './index.js';
import { startTcpProxy, type TcpProxyOptions } from './tcp-proxy.test-helper.js';

/**
 * A broker of the test's own that the test crashes, stops and restarts. `restart()` starts a new
 * process on the same ports (and persistence file): `url` stays valid, and `kill`, `stop` and
 * `readLog` act on whichever process runs now.
 */
export interface CrashableBroker extends Pick<
  RunningMosquitto,
  'url' | 'kill' | 'stop' | 'readLog'
> {
  restart(): Promise<void>;
}

/**
 * The broker fixtures of `@ot-mqtt/broker/testing` (brokers without persistence unless `options`
 * say otherwise) plus what every client test makes and must end: clients (closed with a 500 ms
 * drain when the test ends, before its brokers — name the broker fixture first), TCP proxies, and
 * `crashableBroker` ({@link CrashableBroker}, over `freshBroker`).
 */
export function createClientTest(options: StartMosquittoOptions = {}) {
  return createBrokerTest({ persistence: false, ...options })
    .extend('crashableBroker', async ({ freshBroker }): Promise<CrashableBroker> => {
      let current = freshBroker;
      return {
        url: freshBroker.url,
        kill: () => current.kill(),
        stop: () => current.stop(),
        readLog: () => current.readLog(),
        restart: async () => {
          current = await current.restart();
        },
      };
    })
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
