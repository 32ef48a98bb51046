import {
  createAgentMetrics,
  createBrokerSysMetrics,
  createGatewayMetrics,
  createIngestMetrics,
  createMetricsRegistry,
  instrumentMqttClients,
  SYS_METRICS,
} from '@ot-mqtt/metrics';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GRAFANA_DIR } from './promtool.js';
import { alertRules, metricNames, panelQueries, readDashboards } from './queries.js';

/** Every series name the apps can export: the library's metric sets, registered once. */
async function exportedNames(): Promise<Set<string>> {
  const registry = createMetricsRegistry({ app: 'test' });
  createAgentMetrics({ registry, machines: [] });
  instrumentMqttClients(registry, [], { outboxCapacity: { messages: 1, bytes: 1 } });
  createIngestMetrics({ registry });
  createGatewayMetrics({ registry });
  const sys = createBrokerSysMetrics({ registry });
  for (const d of SYS_METRICS) sys.update(`$SYS/broker/${d.topic}`, '1');
  const names = new Set<string>(['up']);
  for (const m of await registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`);
  }
  return names;
}

describe('Grafana dashboards', () => {
  const dashboards = readDashboards();

  it('are the four an operations team opens: fleet, one machine, broker, gateway', () => {
    expect([...dashboards.keys()].sort()).toEqual([
      'broker.json',
      'fleet-overview.json',
      'gateway.json',
      'machine.json',
    ]);
    const uids = [...dashboards.values()].map((d) => d.uid);
    expect(new Set(uids).size).toBe(4);
  });

  it('query the Prometheus chosen in the datasource variable, from every panel', () => {
    for (const d of dashboards.values()) {
      expect(d.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
      for (const p of d.panels) {
        expect(p.datasource.uid, `${d.title} / ${p.title}`).toBe('${datasource}');
        expect(p.targets.length, `${d.title} / ${p.title}`).toBeGreaterThan(0);
        for (const t of p.targets) expect(t.expr.trim()).not.toBe('');
      }
    }
  });

  it('lay panels on the 24-column grid without overlapping', () => {
    for (const d of dashboards.values()) {
      const cells = new Set<string>();
      for (const { gridPos: g, title } of d.panels) {
        expect(g.x + g.w, `${d.title} / ${title}`).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            const cell = `${x},${y}`;
            expect(cells.has(cell), `${d.title} / ${title} overlaps at ${cell}`).toBe(false);
            cells.add(cell);
          }
      }
    }
  });

  it('and the alert rules read only metrics the apps export', async () => {
    const exported = await exportedNames();
    const queries = [
      ...panelQueries(),
      ...alertRules().map((r) => ({ dashboard: 'alerts', panel: r.alert, expr: r.expr })),
    ];
    const unknown = queries.flatMap((q) =>
      metricNames(q.expr)
        .filter((n) => !exported.has(n) && !n.startsWith('process_'))
        .map((n) => `${q.dashboard} / ${q.panel}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe('monitoring compose file', () => {
  const compose = parse(readFileSync(join(GRAFANA_DIR, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { image: string; volumes: string[]; network_mode?: string }>;
  };
  const mounts = (service: string) =>
    new Map(
      compose.services[service]!.volumes.map((v) => {
        const [host = '', container = ''] = v.split(':');
        return [container, host];
      }),
    );

  it('runs pinned Prometheus and Grafana images on the host network (where /metrics listens)', () => {
    for (const name of ['prometheus', 'grafana']) {
      const service = compose.services[name]!;
      expect(service.image).toMatch(/:v?\d+\.\d+\.\d+$/u);
      expect(service.network_mode).toBe('host');
    }
  });

  it('mounts the tested scrape config, rules, provisioning and dashboards', () => {
    const prometheus = mounts('prometheus');
    const grafana = mounts('grafana');
    for (const [container, host] of [...prometheus, ...grafana]) {
      if (!host.startsWith('.')) continue; // named volumes
      expect(existsSync(resolve(GRAFANA_DIR, host)), `${host} → ${container}`).toBe(true);
    }
    expect(prometheus.get('/etc/prometheus/prometheus.yml')).toBe('../prometheus/prometheus.yml');
    const provider = parse(
      readFileSync(join(GRAFANA_DIR, 'provisioning', 'dashboards', 'otmqtt.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    expect(grafana.get(provider.providers[0]!.options.path)).toBe('./dashboards');
  });
});
