import { freePort } from '@ot-mqtt/broker';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { afterEach, beforeAll, describe, expect } from 'vitest';
import { assertBuilt, killAll, spawnAgent } from './agent-process.test-helper.js';

const it = createBrokerTest({ persistence: false });

describe('MQTT_URL with several brokers (issue 15)', () => {
  beforeAll(assertBuilt);
  afterEach(killAll);

  it('a dead first node is a failed attempt named in the log; the agent goes on to the next and publishes', async ({
    broker,
  }) => {
    const dead = `mqtt://127.0.0.1:${await freePort()}`;
    const agent = spawnAgent({
      MQTT_URL: `${dead}, ${broker.url}`,
      PUBLISH_INTERVAL: '0.2',
      SUMMARY_INTERVAL: '0',
    });
    await agent.line(/INFO\s+connected/, 30_000);
    expect([...agent.stdout, ...agent.stderr].join('\n')).toContain(dead.replace('mqtt://', ''));
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
  });
});
