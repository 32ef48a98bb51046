import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentMetrics } from './agent-metrics.js';
import { createBrokerSysMetrics } from './broker-sys-metrics.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { createIngestMetrics } from './ingest-metrics.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { instrumentMqttClients } from './mqtt-client-metrics.js';
import { checkMetrics, NO_PROMTOOL } from './testing/index.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A registry with every metric set of the library, each with some values. */
const everything = () => {
  const registry = createMetricsRegistry({ app: 'test', version: '1.2.3' });
  const totals = { scans: 3, messages: 21, acked: 20, failed: 1, invalid: 0 };
  const agent = createAgentMetrics({
    registry,
    machines: [{ id: 'filler-1', counters: () => totals }],
  });
  agent.publishFailed('OUTBOX_FULL');
  agent.schedulerLag(0.002);
  instrumentMqttClients(registry, [
    {
      state: { status: 'connected' },
      events$: new Subject(),
      stats: () => ({
        sent: 1,
        received: 2,
        acknowledged: 1,
        reconnects: 0,
        outboxDepth: 0,
        outboxBytes: 0,
        inFlight: 0,
      }),
    },
  ]);
  const ingest = createIngestMetrics({ registry });
  ingest.message('filler-1', 2000, 1990);
  ingest.event({ type: 'connection', machineId: 'filler-1', status: 'online' });
  const gateway = createGatewayMetrics({ registry, ingestLagSeconds: () => 0.2 });
  gateway.dbWrite(0.003, 10);
  gateway.httpRequest('GET', '/api/machines/:machineId/latest', 200, 0.001);
  const sys = createBrokerSysMetrics({ registry });
  sys.setConnected(true);
  sys.update('$SYS/broker/clients/connected', '2');
  sys.update('$SYS/broker/uptime', '5 seconds');
  sys.update('$SYS/broker/load/bytes/sent/5min', '10.2');
  return registry;
};

describe('metrics server', () => {
  it('serves the registry as Prometheus text on GET /metrics', async () => {
    const server = await startMetricsServer({ registry: everything(), port: 0 });
    servers.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/u);
    const text = await response.text();
    expect(text).toContain('otmqtt_app_info{app="test",version="1.2.3"} 1');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('otmqtt_agent_scans_total{machine="filler-1"} 3');
  });

  it('answers anything else with a JSON error naming what is allowed', async () => {
    const server = await startMetricsServer({ registry: everything(), port: 0 });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    const notFound = await fetch(`${base}/nope`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({
      error: 'not found',
      parameter: 'path',
      allowed: ['/metrics'],
    });
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await post.json()).toMatchObject({ parameter: 'method', allowed: ['GET', 'HEAD'] });
  });

  it('names METRICS_PORT when the port is taken', async () => {
    const first = await startMetricsServer({ registry: everything(), port: 0 });
    servers.push(first);
    await expect(startMetricsServer({ registry: everything(), port: first.port })).rejects.toThrow(
      `METRICS_PORT ${first.port} on 127.0.0.1 is already in use`,
    );
  });

  it.skipIf(NO_PROMTOOL)(
    'passes `promtool check metrics` with every metric set' + NO_PROMTOOL,
    async () => {
      const text = await everything().metrics();
      const { code, output } = checkMetrics(text);
      expect(output).toBe('');
      expect(code).toBe(0);
    },
  );
});
