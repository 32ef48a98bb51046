import { brokerTest as it, mosquittoPub } from '@ot-mqtt/broker/testing';
import { freePort } from '@ot-mqtt/broker';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { startViewer } from './viewer-process.test-helper.js';

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const scrape = (port: number) =>
  fetch(`http://127.0.0.1:${port}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
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
        const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
        expect(`${check.stdout}${check.stderr}`).toBe('');
        expect(check.status).toBe(0);
      }
    } finally {
      await viewer.stop();
    }
  });
});
