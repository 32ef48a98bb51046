// Loaded (dynamic import from main.ts) only when METRICS_PORT is set: an agent without metrics
// never evaluates prom-client.
import {
  createAgentMetrics,
  createMetricsRegistry,
  instrumentMqttClients,
  readMetricsEnv,
  startMetricsServer,
  type MetricsServer,
  type MetricsSettings,
} from '@ot-mqtt/metrics';
import { createRequire } from 'node:module';
import type { AgentConfig } from './config.js';
import { outboxLimits } from './outbox-limits.js';
import type { AgentHooks, RunningAgent } from './start-agent.js';

/** The agent's metrics before and after the agent starts. */
export interface AgentMetricsWiring {
  /** What startAgent reports to from its hot path. */
  readonly hooks: AgentHooks;
  /** Exports the running agent's machines and connections, and serves `/metrics`. */
  serve(agent: RunningAgent): Promise<MetricsServer>;
}

/** Creates the agent's registry and hooks (README "Monitoring" lists every metric). */
export function createAgentMetricsWiring(
  config: AgentConfig,
  settings: MetricsSettings & { readonly port: number },
  version: string,
): AgentMetricsWiring {
  // No nodejs_eventloop_lag_*: its monitor's wake each second was ~6 % of an idle one-filler
  // agent's CPU; otmqtt_agent_scheduler_lag_seconds gives the loop's delay at every scan instead.
  const registry = createMetricsRegistry({ app: 'agent', version, eventLoopLag: false });
  let agent: RunningAgent | undefined;
  const metrics = createAgentMetrics({
    registry,
    machines: () => agent?.machines ?? [],
    maxMachines: settings.maxMachines,
    schedulerBehind: () => agent?.schedulerBehind() ?? 0,
  });
  return {
    hooks: {
      onAcked: (ms) => metrics.publishAcknowledged(ms / 1000),
      onPublishFailed: (code) => metrics.publishFailed(code),
      onScanLag: (lagMs) => metrics.schedulerLag(lagMs / 1000),
    },
    serve(running) {
      agent = running;
      const { fleet } = config;
      const perConnection = fleet.connectionMode === 'per-filler' ? 1 : fleet.machineIds.length;
      const limits = outboxLimits(perConnection, config.outbox.maxMessages);
      instrumentMqttClients(registry, running.clients, {
        outboxCapacity: {
          messages: limits.maxMessages * running.clients.length,
          bytes: limits.maxBytes * running.clients.length,
        },
      });
      return startMetricsServer({ registry, port: settings.port, host: settings.host });
    },
  };
}

/**
 * Reads `METRICS_PORT`/`METRICS_HOST` and prepares the wiring, or exits 2 naming the bad variable
 * (the same rule as every other variable). `undefined` when METRICS_PORT is unset.
 */
export function loadAgentMetrics(
  config: AgentConfig,
  env: Readonly<Record<string, string | undefined>>,
): AgentMetricsWiring | undefined {
  const read = readMetricsEnv(env);
  if (!read.ok) {
    for (const error of read.errors) process.stderr.write(`ot-mqtt agent: ${error.message}\n`);
    process.stderr.write('ot-mqtt agent: not started; see --help for every variable.\n');
    process.exit(2);
  }
  const { port } = read.settings;
  if (port === undefined) return undefined;
  // The version users see in otmqtt_app_info: package.json beside dist/ (built) or src/ (tsx).
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  return createAgentMetricsWiring(config, { ...read.settings, port }, version);
}
