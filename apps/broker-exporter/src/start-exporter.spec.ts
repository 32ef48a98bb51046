import { createMqttClient } from '@ot-mqtt/mqtt-client';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { sampleValue as sample, scrapeMetrics as scrape } from '@ot-mqtt/metrics/testing';
import { expect } from 'vitest';
import { startExporter } from './start-exporter.js';

// $SYS every second instead of the profiles' 10 s, so the test waits for one interval, not ten.
const it = createBrokerTest({ extra: 'sys_interval 1' });

it("exports a real Mosquitto's $SYS figures and reports it down once it is gone", async ({
  freshBroker,
}) => {
  const client = createMqttClient({ url: freshBroker.url, clientId: 'exporter-test' });
  const exporter = await startExporter({
    client,
    port: 0,
    host: '127.0.0.1',
    staleAfterMs: 3_000,
    version: 'test',
  });
  try {
    await expect
      .poll(async () => sample(await scrape(exporter.server.url), 'otmqtt_broker_up'), {
        timeout: 15_000,
      })
      .toBe(1);
    // The exporter itself is a connected client with one subscription, from the first interval
    // after it connected on (the retained values before it describe the broker without it).
    await expect
      .poll(
        async () => sample(await scrape(exporter.server.url), 'otmqtt_broker_clients_connected'),
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(1);
    const text = await scrape(exporter.server.url);
    expect(sample(text, 'otmqtt_broker_subscriptions')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'otmqtt_broker_uptime_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'otmqtt_broker_messages_received_total')).toBeGreaterThan(0);
    expect(text).toMatch(/^otmqtt_broker_info\{version="2\.\d+\.\d+"\} 1$/mu);
    expect(text).toMatch(
      /^otmqtt_broker_load_per_minute\{kind="messages_received",window="1min"\} /mu,
    );
    expect(sample(text, 'otmqtt_mqtt_connections{state="connected"}')).toBe(1);

    await freshBroker.kill();
    await expect
      .poll(async () => sample(await scrape(exporter.server.url), 'otmqtt_broker_up'), {
        timeout: 15_000,
      })
      .toBe(0);
  } finally {
    await exporter.stop();
    await client.close({ timeoutMs: 500 });
  }
});
