import { describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import { first } from './test-support.test-helper.js';
import type { RunningMosquitto } from '@ot-mqtt/broker/testing';
import type { MqttClient, MqttClientError, MqttClientOptions } from './index.js';

// A backoff that would not try again for a minute: only close({ awaitBroker }) asks sooner.
const slow = { initialDelayMs: 60_000, maxDelayMs: 60_000 };

/** A client that connected, then lost its broker (stopped) and is reconnecting on `slow`. */
async function inOutage(
  broker: RunningMosquitto,
  makeClient: (options: MqttClientOptions) => MqttClient,
  clientId: string,
): Promise<MqttClient> {
  const c = makeClient({ url: broker.url, clientId, reconnect: slow });
  await first(c.state$, (s) => s.status === 'connected');
  await broker.stop();
  await first(c.state$, (s) => s.status === 'reconnecting');
  return c;
}

describe('close({ awaitBroker }) during an outage', () => {
  it('waits for the broker to come back and delivers what was queued, however long the backoff had grown', async ({
    freshBroker,
    makeClient,
  }) => {
    const c = await inOutage(freshBroker, makeClient, 'await-back');
    const queued = [1, 2, 3].map((i) => c.publish('await/back', `m${i}`, { qos: 1 }));
    const closed = c.close({ timeoutMs: 30_000, awaitBroker: true });
    await freshBroker.restart();
    await Promise.all(queued);
    await closed;
    expect(c.stats()).toMatchObject({ acknowledged: 3, dropped: 0 });
    expect(c.state.status).toBe('closed');
  });

  it('gives up after timeoutMs when the broker stays away, rejecting what was queued with CLOSED', async ({
    freshBroker,
    makeClient,
  }) => {
    const c = await inOutage(freshBroker, makeClient, 'await-gone');
    const queued = [1, 2].map((i) =>
      c.publish('await/gone', `m${i}`, { qos: 1 }).catch((e: MqttClientError) => e.code),
    );
    const attempts: number[] = [];
    c.state$.subscribe((s) => {
      if (s.status === 'connecting') attempts.push(s.attempt);
    });
    await c.close({ timeoutMs: 1_500, awaitBroker: true });
    expect(await Promise.all(queued)).toEqual(['CLOSED', 'CLOSED']);
    expect(c.stats().dropped).toBe(2);
    // It did ask the broker again meanwhile, despite the minute-long backoff.
    expect(attempts.length).toBeGreaterThanOrEqual(2);
  });

  it('without awaitBroker closes at once while the broker is away (unchanged)', async ({
    freshBroker,
    makeClient,
  }) => {
    const c = await inOutage(freshBroker, makeClient, 'await-no');
    const queued = c.publish('await/no', 'm', { qos: 1 }).catch((e: MqttClientError) => e.code);
    await c.close({ timeoutMs: 60_000 });
    expect(await queued).toBe('CLOSED');
  });
});
