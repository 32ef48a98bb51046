import { DEFAULT_TOPIC_ROOT } from '@ot-mqtt/tag-model';

/** What the page needs to know to reach its data, as served by the gateway at `/dashboard-config.json`. */
export interface DashboardConfig {
  /** Broker WebSocket URL (`ws://…:9001` development, `wss://…:9443` production). */
  readonly mqttUrl: string;
  /** Topic root of the fleet (default `plc/bottlefiller`). */
  readonly topicRoot: string;
  /** Base URL of the gateway's REST API ('' = same origin as the page). */
  readonly gatewayUrl: string;
  /** Ask for a broker user name and password before connecting (production profile). */
  readonly login: boolean;
  /** Where each value came from, shown in the page's "about" line so an engineer can check it. */
  readonly source: 'gateway' | 'default' | 'query';
  /** Why the served config could not be used, when it could not. */
  readonly warning?: string;
}

/** How the page's location and the served JSON combine into a {@link DashboardConfig}; pure, for tests. */
export function resolveDashboardConfig(
  location: { readonly protocol: string; readonly hostname: string; readonly search: string },
  served: unknown,
  fetchError?: string,
): DashboardConfig {
  const query = new URLSearchParams(location.search);
  const secure = location.protocol === 'https:';
  // Default of the issue: ws:// + the page's host + :9001 (wss:// + :9443 when the page is https,
  // as a browser refuses plain ws:// from an https page).
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  const fallbackUrl = secure ? `wss://${host}:9443` : `ws://${host}:9001`;
  let mqttUrl = fallbackUrl;
  let topicRoot = DEFAULT_TOPIC_ROOT;
  let source: DashboardConfig['source'] = 'default';
  let warning = fetchError;
  if (served !== undefined) {
    if (typeof served === 'object' && served !== null && !Array.isArray(served)) {
      const record = served as Record<string, unknown>;
      if (typeof record.mqttUrl === 'string' && isWebSocketUrl(record.mqttUrl)) {
        mqttUrl = record.mqttUrl;
        source = 'gateway';
      } else if (record.mqttUrl !== undefined) {
        warning = `dashboard-config.json: mqttUrl must be a ws:// or wss:// URL (got ${JSON.stringify(record.mqttUrl).slice(0, 80)}); using ${fallbackUrl}`;
      }
      if (typeof record.topicRoot === 'string' && /^[^#+]+$/u.test(record.topicRoot)) {
        topicRoot = record.topicRoot.replace(/^\/+|\/+$/gu, '');
      }
    } else {
      warning = `dashboard-config.json is not a JSON object; using ${fallbackUrl}`;
    }
  }
  // Query overrides (?broker=ws://…&root=…&gateway=…): for a second fleet in another tab, and tests.
  const broker = query.get('broker');
  if (broker !== null && isWebSocketUrl(broker)) {
    mqttUrl = broker;
    source = 'query';
    // The URL names the broker: a missing or odd served config does not matter.
    warning = undefined;
  }
  const root = query.get('root');
  if (root !== null && /^[^#+]+$/u.test(root)) topicRoot = root;
  const gatewayUrl = (query.get('gateway') ?? '').replace(/\/+$/u, '');
  const login = query.get('login') === '1' || mqttUrl.startsWith('wss:');
  return {
    mqttUrl,
    topicRoot,
    gatewayUrl,
    login,
    source,
    ...(warning === undefined ? {} : { warning }),
  };
}

function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}

/** Fetches `/dashboard-config.json` (bounded to 3 s) and resolves it; never throws. */
export async function loadDashboardConfig(): Promise<DashboardConfig> {
  const query = new URLSearchParams(window.location.search);
  const base = (query.get('gateway') ?? '').replace(/\/+$/u, '');
  try {
    const response = await fetch(`${base}/dashboard-config.json`, {
      cache: 'no-store',
      signal: AbortSignal.timeout(3_000),
    });
    if (response.status === 404) return resolveDashboardConfig(window.location, undefined);
    if (!response.ok) {
      return resolveDashboardConfig(
        window.location,
        undefined,
        response.status >= 502 && response.status <= 504
          ? `gateway not reachable (HTTP ${response.status} for dashboard-config.json): using the default broker URL`
          : `dashboard-config.json answered HTTP ${response.status}: using the default broker URL`,
      );
    }
    const served: unknown = await response.json().catch(() => null);
    return resolveDashboardConfig(window.location, served ?? 'invalid');
  } catch (error) {
    return resolveDashboardConfig(
      window.location,
      undefined,
      `gateway not reachable for dashboard-config.json (${(error as Error).message}); using the default broker URL`,
    );
  }
}
