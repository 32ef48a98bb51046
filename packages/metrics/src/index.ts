export { createMetricsRegistry } from './metrics-registry.js';
export { startMetricsServer } from './metrics-server.js';
export { METRICS_VARIABLES, readMetricsEnv } from './metrics-env.js';
export { createMachineLabels, OTHER_MACHINES } from './machine-labels.js';
export { LATENCY_BUCKETS } from './buckets.js';
export { instrumentMqttClients } from './mqtt-client-metrics.js';
export { createAgentMetrics } from './agent-metrics.js';
export { createIngestMetrics } from './ingest-metrics.js';
export { createGatewayMetrics } from './gateway-metrics.js';
export { createBrokerSysMetrics } from './broker-sys-metrics.js';
export { parseSysTopic, SYS_LOAD_METRIC, SYS_METRICS } from './sys-topics.js';
export type { MetricsRegistryOptions } from './metrics-registry.js';
export type { MetricsServer, MetricsServerOptions } from './metrics-server.js';
export type { MetricsEnvResult, MetricsSettings, MetricsVariable } from './metrics-env.js';
export type { MachineLabels } from './machine-labels.js';
export type {
  InstrumentableClient,
  MqttClientMetrics,
  MqttClientMetricsOptions,
} from './mqtt-client-metrics.js';
export type {
  AgentMachine,
  AgentMetrics,
  AgentMetricsOptions,
  PublisherTotals,
} from './agent-metrics.js';
export type { IngestEvent, IngestMetrics, IngestMetricsOptions } from './ingest-metrics.js';
export type { GatewayMetrics, GatewayMetricsOptions } from './gateway-metrics.js';
export type { BrokerSysMetrics, BrokerSysMetricsOptions } from './broker-sys-metrics.js';
export type { SysMetricDefinition, SysSample } from './sys-topics.js';
