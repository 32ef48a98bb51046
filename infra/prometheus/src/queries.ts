import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GRAFANA_DIR, PROMETHEUS_DIR } from './promtool.js';

/** One query a dashboard panel runs. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

/** A dashboard file as far as the tests read it. */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly templating: { list: { name: string; type: string; query: unknown }[] };
  readonly panels: {
    id: number;
    title: string;
    type: string;
    datasource: { type: string; uid: string };
    gridPos: { x: number; y: number; w: number; h: number };
    targets: { refId: string; expr: string; datasource: { uid: string } }[];
  }[];
}

/** The dashboards of infra/grafana/dashboards, by file name. */
export function readDashboards(): Map<string, Dashboard> {
  const dir = join(GRAFANA_DIR, 'dashboards');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dashboard]),
  );
}

/** Every panel query of every dashboard. */
export function panelQueries(): PanelQuery[] {
  return [...readDashboards().values()].flatMap((d) =>
    d.panels.flatMap((p) =>
      p.targets.map((t) => ({
        dashboard: d.title,
        panel: `${p.title} (${t.refId})`,
        expr: t.expr,
      })),
    ),
  );
}

/** One alert rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
}

/** The alert rules of rules/otmqtt-alerts.yml. */
export function alertRules(): AlertRule[] {
  const file = parse(readFileSync(join(PROMETHEUS_DIR, 'rules', 'otmqtt-alerts.yml'), 'utf8')) as {
    groups: { rules: Partial<AlertRule>[] }[];
  };
  return file.groups
    .flatMap((g) => g.rules)
    .filter((r): r is AlertRule => r.alert !== undefined && r.expr !== undefined);
}

/**
 * A dashboard expression as Grafana would send it: `$machine` set to one machine and
 * `$__rate_interval` to a window of several scrapes (`rateWindow`).
 */
export function resolveGrafanaVariables(expr: string, machine: string, rateWindow: string): string {
  return expr.replaceAll('$__rate_interval', rateWindow).replaceAll('$machine', machine);
}

const NOT_METRICS = new Set([
  'sum',
  'max',
  'min',
  'count',
  'avg',
  'by',
  'without',
  'rate',
  'increase',
  'deriv',
  'irate',
  'histogram_quantile',
  'time',
  'vector',
  'or',
  'and',
  'unless',
  'on',
  'le',
  'label_values',
]);

/** The metric names an expression reads (identifiers followed by a selector, range or operator). */
export function metricNames(expr: string): string[] {
  const withoutLabels = resolveGrafanaVariables(expr, 'm', '1m')
    .replace(/\[[^\]]*\]/gu, '[]')
    .replace(/\{[^}]*\}/gu, '{}')
    .replace(/"[^"]*"/gu, '""');
  const names = new Set<string>();
  for (const m of withoutLabels.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/gu)) {
    const name = m[1]!;
    if (NOT_METRICS.has(name) || /^\d/u.test(name)) continue;
    // Grouping labels: `by (job, machine)`.
    const before = withoutLabels.slice(0, m.index);
    if (/\b(by|without|on|ignoring)\s*\([^)]*$/u.test(before)) continue;
    names.add(name);
  }
  return [...names];
}
