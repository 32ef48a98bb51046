import { brokerTest as it, mosquittoPub } from '@ot-mqtt/broker/testing';
import { freePort } from '@ot-mqtt/broker';
import {
  checkMetrics,
  sampleValue as sample,
  PROMTOOL,
  scrapeMetrics,
} from '@ot-mqtt/metrics/testing';
import { describe, expect } from 'vitest';
import { startViewer } from './viewer-process.test-helper.js';

const scrape = (port: number) => scrapeMetrics(`http://127.0.0.1:${port}/metrics`);
describe('viewer metrics (METRICS_PORT)', () => {
  it('counts invalid messages and its connection, and passes `promtool check metrics`', async ({
    broker,
  }) => {
    const port = await freePort();
    const viewer = startViewer({
      MQTT_URL: broker.url,
      VIEWER_MODE: 'ndjson',
      METRICS_PORT: String(port),
    });
    try {
      await expect
        .poll(
          async () => sample(await scrape(port), 'otmqtt_mqtt_connections{state="connected"}'),
          { timeout: 20_000 },
        )
        .toBe(1);
      await mosquittoPub({
        url: broker.url,
        topic: 'plc/bottlefiller/status',
        message: 'not json',
        qos: 1,
      });
      await expect
        .poll(async () => sample(await scrape(port), 'otmqtt_ingest_invalid_messages_total'), {
          timeout: 20_000,
        })
        .toBe(1);
      const text = await scrape(port);
      expect(text).toContain('otmqtt_app_info{app="viewer"');
      if (PROMTOOL !== undefined) {
        expect(checkMetrics(text)).toEqual({ code: 0, output: '' });
      }
    } finally {
      await viewer.stop();
    }
  });
});
