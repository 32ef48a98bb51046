import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { TOPIC_KINDS } from '@ot-mqtt/tag-model';
import { afterEach, describe, expect } from 'vitest';
import { killAll, spawnAgent } from './agent-process.test-helper.js';

afterEach(killAll);

// Persistence on: the broker keeps the test subscriber's session (and the messages queued for it)
// across its restart, so the subscriber can show afterwards what reached the broker.
const it = createBrokerTest({ persistence: true });

const sequenceOf = (payload: string) => (JSON.parse(payload) as { sequence: number }).sequence;

describe('SIGTERM during a broker outage', () => {
  it('waits for the broker to come back within SHUTDOWN_TIMEOUT and delivers every queued scan', async ({
    freshBroker,
    mosquittoSub,
  }) => {
    const root = 'test/outage-back';
    const topic = `${root}/${TOPIC_KINDS[0]}`;
    const session = {
      url: freshBroker.url,
      topics: [topic],
      clientId: 'outage-back-sub',
      persistentSessionSeconds: 600,
    };
    const before = await mosquittoSub(session);
    const agent = spawnAgent({
      MQTT_URL: freshBroker.url,
      TOPIC_ROOT: root,
      PUBLISH_INTERVAL: '0.1',
      SUMMARY_INTERVAL: '0.2',
      SHUTDOWN_TIMEOUT: '60',
    });
    await expect
      .poll(() => before.messages().length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    await before.stop();
    await freshBroker.stop();
    // Scans pile up in the outbox while the broker is away.
    await agent.line(/ summary .*outbox=([1-9]\d+)/);
    agent.child.kill('SIGTERM');
    await agent.line(/broker unreachable: waiting for it to take the queued messages messages=\d+/);
    const broker = await freshBroker.restart();
    expect(await agent.exited).toBe(0);
    const log = [...agent.stdout, ...agent.stderr].join('\n');
    expect(log).not.toMatch(/never acknowledged/);
    const scans = Number(
      / summary scans=(\d+)/.exec(agent.stdout.filter((l) => / summary /.test(l)).at(-1)!)![1],
    );

    // Everything the agent scanned reached the broker: the subscriber's session holds the rest.
    const after = await mosquittoSub({ ...session, url: broker.url });
    const all = () => [...before.messages(), ...after.messages()].map((m) => sequenceOf(m.payload));
    await expect.poll(() => new Set(all()).size, { timeout: 30_000 }).toBe(scans);
    expect([...new Set(all())].sort((a, b) => a - b)).toEqual([...Array(scans).keys()]);
  });

  it('gives up after SHUTDOWN_TIMEOUT when the broker stays away, saying in one line how many scans were not delivered', async ({
    freshBroker,
  }) => {
    const agent = spawnAgent({
      MQTT_URL: freshBroker.url,
      TOPIC_ROOT: 'test/outage-gone',
      PUBLISH_INTERVAL: '0.1',
      SUMMARY_INTERVAL: '0.2',
      SHUTDOWN_TIMEOUT: '1.5',
    });
    await agent.line(/ summary .*acked=[1-9]/);
    await freshBroker.stop();
    // At least two scans' worth held while the agent knows the broker is gone: a busy agent may
    // still have the dead broker's last PUBACKs unread while it counts its outbox as connected.
    await agent.line(/ summary .*outbox=([1-9]\d+).* state=reconnecting/);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const report = agent.stderr.filter((l) => /never acknowledged/.test(l));
    expect(report).toHaveLength(1);
    const [, messages, scans] = /undelivered=(\d+) scans=(\d+)/.exec(report[0]!)!.map(Number);
    expect(scans).toBeGreaterThanOrEqual(2);
    // Seven messages per scan: every undelivered message belongs to one of the scans counted.
    expect(messages).toBeLessThanOrEqual(7 * scans!);
    expect(messages).toBeGreaterThan(7 * (scans! - 1));
  });
});
