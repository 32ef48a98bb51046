import { freePort } from '@ot-mqtt/broker';
import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { PROMETHEUS, PROMETHEUS_DIR, SKIP_REASON } from './promtool.js';
import { alertRules, metricNames, readDashboards, resolveGrafanaVariables } from './queries.js';

// One scenario, one real Prometheus (Debian's binary, own port and data directory, killed by pid):
// it scrapes the built agent, viewer, gateway and broker exporter every second, runs every dashboard query
// and every alert expression, then the agent stops and the agent-offline alert must fire (its
// `for: 30s` is why this file needs up to three minutes).
const ROOT = resolve(PROMETHEUS_DIR, '..', '..');
const main = (app: string) => join(ROOT, 'apps', app, 'dist', 'main.js');
const APPS = ['agent', 'viewer', 'gateway', 'broker-exporter'];
const built = APPS.every((a) => existsSync(main(a)));
const it = createBrokerTest({ extra: 'sys_interval 1' });

interface QueryResult {
  status: string;
  error?: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(PROMETHEUS === undefined || !built)(
  `a real Prometheus scraping the running parts${SKIP_REASON}${built ? '' : ' — SKIPPED: apps not built'}`,
  () => {
    it('answers every dashboard panel and alert expression with data, and fires agent-offline when the agent stops', async ({
      freshBroker,
    }) => {
      const children: ChildProcess[] = [];
      const dir = mkdtempSync(join(tmpdir(), 'ot-mqtt-prometheus-'));
      const start = (file: string, args: string[], env: Record<string, string>) => {
        const child = spawn(file, args, {
          env: { PATH: process.env['PATH'] ?? '', ...env },
          stdio: 'ignore',
        });
        children.push(child);
        return child;
      };
      try {
        const ports = {
          agent: await freePort(),
          viewer: await freePort(),
          gateway: await freePort(),
          gatewayHttp: await freePort(),
          broker: await freePort(),
        };
        const promPort = await freePort();
        const mqtt = { MQTT_URL: freshBroker.url };
        const agent = start(process.execPath, [main('agent')], {
          ...mqtt,
          FILLER_COUNT: '2',
          PUBLISH_INTERVAL: '0.5',
          METRICS_PORT: String(ports.agent),
        });
        start(process.execPath, [main('viewer')], {
          ...mqtt,
          VIEWER_MODE: 'ndjson',
          METRICS_PORT: String(ports.viewer),
        });
        start(process.execPath, [main('gateway')], {
          ...mqtt,
          HISTORIAN_DB: join(dir, 'historian.sqlite'),
          GATEWAY_PORT: String(ports.gatewayHttp),
          METRICS_PORT: String(ports.gateway),
        });
        start(process.execPath, [main('broker-exporter')], {
          ...mqtt,
          METRICS_PORT: String(ports.broker),
          SYS_STALE_AFTER: '5',
        });
        const job = (name: string, port: number) =>
          `  - job_name: ${name}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;
        writeFileSync(
          join(dir, 'prometheus.yml'),
          `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - ${join(PROMETHEUS_DIR, 'rules', 'otmqtt-alerts.yml')}\nscrape_configs:\n${job('agent', ports.agent)}${job('viewer', ports.viewer)}${job('gateway', ports.gateway)}${job('broker', ports.broker)}`,
        );
        start(
          PROMETHEUS!,
          [
            `--config.file=${join(dir, 'prometheus.yml')}`,
            `--storage.tsdb.path=${join(dir, 'data')}`,
            `--web.listen-address=127.0.0.1:${promPort}`,
          ],
          {},
        );
        const api = `http://127.0.0.1:${promPort}/api/v1`;
        const query = async (expr: string): Promise<QueryResult> =>
          (
            await fetch(`${api}/query?query=${encodeURIComponent(expr)}`)
          ).json() as Promise<QueryResult>;
        const count = async (expr: string) => {
          const r = await query(expr).catch(() => undefined);
          return r?.status === 'success' ? r.data.result.length : -1;
        };

        await expect.poll(() => count('up == 1'), { timeout: 60_000, interval: 500 }).toBe(4);
        // A request, so the gateway's HTTP duration series exist.
        await expect
          .poll(
            async () =>
              (
                await fetch(`http://127.0.0.1:${ports.gatewayHttp}/api/machines`).catch(
                  () => undefined,
                )
              )?.status,
            { timeout: 30_000, interval: 500 },
          )
          .toBe(200);
        // Enough scrapes for rate() over 10 s and a machine seen by the viewer.
        await expect
          .poll(() => count('otmqtt_ingest_machine_online{job="viewer"} == 1'), {
            timeout: 60_000,
            interval: 500,
          })
          .toBe(2);
        const machine = (await query('otmqtt_ingest_machine_online{job="viewer"}')).data.result[0]!
          .metric['machine']!;

        const noData: string[] = [];
        for (const [, dashboard] of readDashboards()) {
          for (const panel of dashboard.panels)
            for (const target of panel.targets) {
              const expr = resolveGrafanaVariables(target.expr, machine, '10s');
              const where = `${dashboard.title} / ${panel.title} (${target.refId}): ${expr}`;
              const result = await query(expr);
              expect(result.status, `${where}: ${result.error}`).toBe('success');
              await expect
                .poll(async () => (await query(expr)).data.result.length, {
                  timeout: 15_000,
                  interval: 500,
                })
                .toBeGreaterThan(0)
                .catch(() => noData.push(where));
            }
        }
        expect(noData).toEqual([]);

        for (const rule of alertRules()) {
          const result = await query(rule.expr);
          expect(result.status, `${rule.alert}: ${result.error}`).toBe('success');
          for (const name of metricNames(rule.expr)) {
            expect(await count(name), `${rule.alert} reads ${name}: no series`).toBeGreaterThan(0);
          }
        }

        agent.kill('SIGTERM');
        await expect
          .poll(
            async () => {
              const alerts = (await (await fetch(`${api}/alerts`)).json()) as {
                data: { alerts: { labels: Record<string, string>; state: string }[] };
              };
              return alerts.data.alerts.filter(
                (a) => a.labels['alertname'] === 'OtMqttAgentOffline' && a.state === 'firing',
              ).length;
            },
            { timeout: 90_000, interval: 1000 },
          )
          .toBeGreaterThan(0);
      } finally {
        for (const child of children) child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
