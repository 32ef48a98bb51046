import { brokerTest as it } from '@ot-mqtt/broker/testing';
import { freePort } from '@ot-mqtt/broker';
import {
  checkMetrics,
  sampleValue as sample,
  PROMTOOL,
  scrapeMetrics,
} from '@ot-mqtt/metrics/testing';
import { afterEach, describe, expect } from 'vitest';
import { killAll, spawnAgent } from './agent-process.test-helper.js';

afterEach(killAll);

const scrape = (port: number) => scrapeMetrics(`http://127.0.0.1:${port}/metrics`);

describe('agent metrics (METRICS_PORT)', () => {
  it('serves per-machine scans, publish-to-ack latency and the connection on /metrics', async ({
    broker,
  }) => {
    const port = await freePort();
    const agent = spawnAgent({
      MQTT_URL: broker.url,
      FILLER_COUNT: '3',
      PUBLISH_INTERVAL: '0.2',
      METRICS_PORT: String(port),
    });
    await agent.line(new RegExp(`metrics.*http://127\\.0\\.0\\.1:${port}/metrics`));
    await expect
      .poll(
        async () => sample(await scrape(port), 'otmqtt_agent_scans_total{machine="filler-0003"}'),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThanOrEqual(3);
    const text = await scrape(port);
    expect(sample(text, 'otmqtt_agent_fillers')).toBe(3);
    expect(sample(text, 'otmqtt_mqtt_connections{state="connected"}')).toBe(1);
    expect(sample(text, 'otmqtt_agent_publish_ack_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'otmqtt_agent_scheduler_lag_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'otmqtt_mqtt_outbox_capacity_messages')).toBeGreaterThan(0);
    expect(text).toContain('otmqtt_app_info{app="agent",version="0.1.0"} 1');
  });

  it.skipIf(PROMTOOL === undefined)(
    `passes \`promtool check metrics\`${PROMTOOL === undefined ? ' — SKIPPED: promtool not installed (apt-get install -y prometheus)' : ''}`,
    async ({ broker }) => {
      const port = await freePort();
      const agent = spawnAgent({
        MQTT_URL: broker.url,
        PUBLISH_INTERVAL: '0.2',
        METRICS_PORT: String(port),
      });
      await agent.line(/metrics/u);
      await expect.poll(async () => sample(await scrape(port), 'otmqtt_agent_fillers')).toBe(1);
      expect(checkMetrics(await scrape(port))).toEqual({ code: 0, output: '' });
    },
  );

  it('refuses a bad METRICS_PORT with exit 2, naming it', async () => {
    const agent = spawnAgent({ METRICS_PORT: 'ninety', MQTT_BROKER_HOST: '127.0.0.1' });
    expect(await agent.exited).toBe(2);
    expect(agent.stderr.join('\n')).toContain('Invalid METRICS_PORT="ninety"');
  });
});
