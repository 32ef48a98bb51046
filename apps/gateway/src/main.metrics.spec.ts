import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { freePort } from '@ot-mqtt/broker';
import { brokerTest as it } from '@ot-mqtt/broker/testing';
import { checkMetrics, NO_PROMTOOL, sampleValue, scrapeMetrics } from '@ot-mqtt/metrics/testing';
import {
  createPublisher,
  runGateway,
  startGatewayProcess,
  waitReady,
  type GatewayProcess,
} from './gateway-process.test-helper.js';

describe('gateway metrics (METRICS_PORT)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-metrics-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`counts scans, gaps, invalid messages, rows and requests by route template${NO_PROMTOOL ? '' : ', and passes `promtool check metrics`'}`, async ({
    broker,
  }) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/metrics`;
    let gw: GatewayProcess | undefined;
    const pub = await createPublisher(broker.url);
    try {
      gw = await startGatewayProcess({
        MQTT_URL: broker.url,
        HISTORIAN_DB: join(dir, 'historian.sqlite'),
        MQTT_CLIENT_ID: 'gw-metrics',
        GATEWAY_SHARE_GROUP: 'metrics',
        METRICS_PORT: String(port),
      });
      await waitReady(gw);
      expect(gw.output()).toContain(`metrics=${url}`);
      await expect
        .poll(
          async () =>
            sampleValue(await scrapeMetrics(url), 'otmqtt_mqtt_connections{state="connected"}'),
          {
            timeout: 20_000,
          },
        )
        .toBe(4);

      // Sequences 0, 1, 2 then 5: one gap of two scans.
      for (const n of [0, 1, 2, 5]) await pub.publishScan('filler-m', n);
      await pub.client.publishAsync('plc/bottlefiller/filler-m/data', '{not json', { qos: 1 });
      const series = (name: string) => `${name}{machine="filler-m"}`;
      await expect
        .poll(
          async () =>
            sampleValue(
              await scrapeMetrics(url),
              'otmqtt_gateway_rows_written_total{table="scans"}',
            ),
          {
            timeout: 20_000,
          },
        )
        .toBe(4);
      expect((await fetch(`${gw.url}/api/machines/filler-m/latest`)).status).toBe(200);
      expect((await fetch(`${gw.url}/api/machines/nobody/latest`)).status).toBe(404);
      expect((await fetch(`${gw.url}/no/such/path`)).status).toBe(404);

      const text = await scrapeMetrics(url);
      expect(text).toContain('otmqtt_app_info{app="gateway"');
      expect(sampleValue(text, series('otmqtt_ingest_messages_total'))).toBe(4);
      expect(sampleValue(text, series('otmqtt_ingest_gaps_total'))).toBe(1);
      expect(sampleValue(text, series('otmqtt_ingest_missing_scans_total'))).toBe(2);
      expect(sampleValue(text, series('otmqtt_ingest_duplicate_messages_total'))).toBe(0);
      expect(sampleValue(text, series('otmqtt_ingest_restarts_total'))).toBe(0);
      expect(sampleValue(text, 'otmqtt_ingest_invalid_messages_total')).toBe(1);
      expect(sampleValue(text, series('otmqtt_ingest_e2e_latency_seconds_count'))).toBe(4);
      expect(sampleValue(text, 'otmqtt_ingest_stale_machines')).toBeDefined();
      // The test's scans are an hour old: stored now, storage is an hour behind them.
      expect(sampleValue(text, 'otmqtt_gateway_ingest_lag_seconds')).toBeGreaterThan(3_500);
      expect(
        sampleValue(text, 'otmqtt_gateway_rows_written_total{table="samples"}'),
      ).toBeGreaterThan(0);
      expect(sampleValue(text, 'otmqtt_gateway_db_write_seconds_count')).toBeGreaterThan(0);
      // Route templates, never raw URLs: ids in paths cannot multiply series.
      const latest = (status: number) =>
        `otmqtt_gateway_http_request_duration_seconds_count{method="GET",route="/api/machines/:machineId/latest",status="${status}"}`;
      expect(sampleValue(text, latest(200))).toBe(1);
      expect(sampleValue(text, latest(404))).toBe(1);
      expect(text).toContain('route="unmatched",status="404"');
      expect(text).not.toMatch(/filler-m\/latest|nobody|no\/such/);
      if (!NO_PROMTOOL) {
        const check = checkMetrics(text);
        expect(check.output).toBe('');
        expect(check.code).toBe(0);
      }
    } finally {
      await pub.close();
      await gw?.kill();
    }
  });

  it('exits 2 naming METRICS_PORT when it is not a port', async () => {
    const r = await runGateway({ METRICS_PORT: 'ninety', HISTORIAN_DB: join(dir, 'x.sqlite') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid METRICS_PORT="ninety"/);
  });
});
