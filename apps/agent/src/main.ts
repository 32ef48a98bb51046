#!/usr/bin/env node
// Process concerns only: arguments, environment, signals, exit codes. The agent itself is
// start-agent.ts; everything it does lives in the libraries.
import '@ot-mqtt/app-kit/startup-heap';
import {
  createLogger,
  exitOnConfigErrors,
  installGracefulShutdown,
  parseArgv,
  releaseStartupHeapLimitLater,
} from '@ot-mqtt/app-kit';
import { DEFAULT_SEED } from '@ot-mqtt/plc-sim';
import { loadConfig } from './config.js';
import { formatHelp } from './help.js';
import type { RunningAgent } from './start-agent.js';

const APP = 'ot-mqtt agent';

const args = parseArgv(process.argv.slice(2));
if (args.help) {
  process.stdout.write(formatHelp());
  process.exit(0);
}
exitOnConfigErrors(APP, args.errors);

const loaded = loadConfig(process.env);
if (!loaded.ok) exitOnConfigErrors(APP, loaded.errors);
else {
  const { config } = loaded;
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  for (const warning of loaded.warnings) logger.warn(warning);
  const { fleet } = config;
  logger.info('starting', {
    machineId: config.machineId,
    ...(fleet.size > 1
      ? {
          fillers: fleet.machineIds.length,
          first: fleet.machineIds[0],
          last: fleet.machineIds.at(-1),
          fleetSize: fleet.size,
          shard: `${fleet.shard.index}/${fleet.shard.count}`,
        }
      : {}),
    ...(fleet.connectionMode === 'per-filler' ? { connections: fleet.clientIds.length } : {}),
    url: config.url,
    clientId: config.clientId,
    topicRoot: config.topicRoot,
    publishIntervalMs: config.publishIntervalMs,
    seed: config.seed ?? DEFAULT_SEED,
    timeScale: config.timeScale,
    scenario: [
      ...config.scenario.ranges.map((r) => `${r.first}-${r.last}=${r.scenario.name}`),
      config.scenario.all.name,
    ].join(','),
    user: config.auth?.username,
    tls: config.tls !== undefined,
    // Non-default payload formats only (issue 16): the JSON start line stays as it was.
    ...(config.payload.format === 'sparkplug'
      ? {
          payload: 'sparkplug',
          group: config.payload.groupId,
          edgeNode: config.payload.edgeNodeId,
          ...(config.payload.hostId === undefined ? {} : { primaryHost: config.payload.hostId }),
        }
      : config.payload.compression === 'none'
        ? {}
        : { payload: `json+${config.payload.compression}` }),
  });

  let agent: RunningAgent | undefined;
  const shutdown = installGracefulShutdown({
    logger,
    fields: { flushTimeoutMs: config.shutdownTimeoutMs },
    // Still loading (agent undefined): nothing was connected or published yet.
    stop: async () => {
      if (agent === undefined) return;
      const { undelivered, undeliveredScans } = await agent.stop();
      if (undelivered > 0)
        logger.warn('stopped with messages the broker never acknowledged', {
          undelivered,
          scans: undeliveredScans,
        });
    },
  });

  // Loaded only once the configuration is valid (and after the signal handlers are in place):
  // --help and config errors answer without paying for the MQTT client, RxJS and the simulator.
  // PAYLOAD_FORMAT=sparkplug: the same agent as a Sparkplug B edge node (docs/sparkplug.md).
  const { startAgent } =
    config.payload.format === 'sparkplug'
      ? { startAgent: (await import('./sparkplug/start-sparkplug-agent.js')).startSparkplugAgent }
      : await import('./start-agent.js');
  // Metrics (README "Monitoring"): prom-client is loaded only when METRICS_PORT is set.
  const metrics = process.env['METRICS_PORT']?.trim()
    ? (await import('./serve-metrics.js')).loadAgentMetrics(config, process.env)
    : undefined;
  if (!shutdown.stopping) agent = startAgent(config, logger, metrics?.hooks);
  if (agent !== undefined && metrics !== undefined)
    await metrics.serve(agent).then(
      (server) => logger.info('metrics', { url: server.url }),
      (error: unknown) => {
        logger.error('metrics not served', { reason: (error as Error).message });
        process.exit(1);
      },
    );
  releaseStartupHeapLimitLater();
}
