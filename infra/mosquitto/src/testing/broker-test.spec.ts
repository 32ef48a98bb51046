import { describe, expect } from 'vitest';
import { isRunning } from '../child-process.test-helper.js';
import { brokerTest as it, mosquittoPub, startMosquittoSub } from './index.js';

describe('@ot-mqtt/broker/testing', () => {
  const pids: number[] = [];

  it('`broker` is one Mosquitto per file: two tests see the same process', async ({ broker }) => {
    pids.push(broker.pid);
    expect(isRunning(broker.pid)).toBe(true);
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
  });

  it('… the second test gets the same one', async ({ broker }) => {
    expect(broker.pid).toBe(pids[0]);
  });

  it('`freshBroker` is a Mosquitto of the test’s own, ended by pid after it', async ({
    freshBroker,
    broker,
  }) => {
    expect(freshBroker.pid).not.toBe(broker.pid);
    pids.push(freshBroker.pid);
  });

  it('… and is gone once its test has ended', async () => {
    const fresh = pids[1]!;
    await expect.poll(() => isRunning(fresh)).toBe(false);
  });

  it('`mosquittoSub` is ready once subscribed: a message published right after arrives, payload intact', async ({
    broker,
    mosquittoSub,
  }) => {
    const sub = await mosquittoSub({ url: broker.url, topics: ['t/#', 'other'], qos: 1 });
    expect(sub.granted).toEqual([1, 1]);
    const payload = '{"a": "with spaces\\nand a newline"}';
    const pub = await mosquittoPub({
      url: broker.url,
      topic: 't/x',
      message: payload,
      retain: false,
    });
    expect(pub.code).toBe(0);
    await expect
      .poll(() => sub.messagesOn('t/x'))
      .toEqual([{ topic: 't/x', qos: 1, retain: false, payload, receivedAt: expect.any(Number) }]);
  });

  it('a subscriber that cannot connect rejects with the tool’s own words', async ({ broker }) => {
    const closedPort = broker.url.replace(/:\d+$/, ':1');
    await expect(
      startMosquittoSub({ url: closedPort, topics: ['#'], readyTimeoutMs: 5_000 }),
    ).rejects.toThrow(/mosquitto_sub # on mqtt:\/\/127\.0\.0\.1:1: it exited/);
  });

  it('mosquittoPub reports a failure by exit code and stderr instead of throwing', async ({
    broker,
  }) => {
    const result = await mosquittoPub({ url: broker.url.replace(/:\d+$/, ':1'), topic: 't' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Connection refused|Error/i);
  });
});
