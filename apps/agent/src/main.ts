#!/usr/bin/env node
// Process concerns only: arguments, environment, signals, exit codes. The agent itself is
// start-agent.ts; everything it does lives in the libraries.
import { releaseStartupHeapLimitLater } from './startup-heap.js';
import { DEFAULT_SEED } from '@ot-mqtt/plc-sim';
import { loadConfig } from './config.js';
import { formatHelp } from './help.js';
import { createLogger } from './logger.js';
import type { RunningAgent } from './start-agent.js';

/** Exit code for a configuration the agent refuses to start with (as `sysexits` EX_USAGE-like tools do). */
const EXIT_CONFIG = 2;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(formatHelp());
  process.exit(0);
}
if (args.length > 0) {
  process.stderr.write(
    `ot-mqtt agent: unknown argument ${JSON.stringify(args[0])}; the agent is configured by environment variables, see --help\n`,
  );
  process.exit(EXIT_CONFIG);
}

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  for (const error of loaded.errors) process.stderr.write(`ot-mqtt agent: ${error.message}\n`);
  process.stderr.write('ot-mqtt agent: not started; see --help for every variable.\n');
  process.exit(EXIT_CONFIG);
}

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
  user: config.auth?.username,
  tls: config.tls !== undefined,
});

let agent: RunningAgent | undefined;
let signalled = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (signalled) {
    // A second Ctrl-C means "now": the broker will publish the last will for us.
    logger.warn(`${signal} again: exiting without waiting`);
    process.exit(130);
  }
  signalled = true;
  logger.info(`${signal} received: stopping`, { flushTimeoutMs: config.shutdownTimeoutMs });
  if (agent === undefined) {
    // Still loading: nothing was connected or published yet.
    logger.info('stopped');
    process.exit(0);
  }
  agent.stop().then(
    ({ undelivered }) => {
      if (undelivered > 0)
        logger.warn('stopped with messages the broker never acknowledged', { undelivered });
      logger.info('stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error('shutdown failed', { reason: (error as Error).message });
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// A bug must not leave a zombie publisher: log it in our format and exit 1. The socket closes without
// DISCONNECT, so the broker announces `offline` from the last will.
const die = (kind: string) => (error: unknown) => {
  logger.error(kind, {
    reason: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack?.split('\n')[1]?.trim() : undefined,
  });
  process.exit(1);
};
process.on('uncaughtException', die('unexpected error'));
process.on('unhandledRejection', die('unhandled promise rejection'));

// Loaded only once the configuration is valid (and after the signal handlers are in place): --help
// and config errors answer without paying for the MQTT client, RxJS and the simulator.
const { startAgent } = await import('./start-agent.js');
// Metrics (README "Monitoring"): prom-client is loaded only when METRICS_PORT is set.
const metrics = process.env['METRICS_PORT']?.trim()
  ? (await import('./serve-metrics.js')).loadAgentMetrics(config, process.env)
  : undefined;
if (!signalled) agent = startAgent(config, logger, metrics?.hooks);
if (agent !== undefined && metrics !== undefined)
  await metrics.serve(agent).then(
    (server) => logger.info('metrics', { url: server.url }),
    (error: unknown) => {
      logger.error('metrics not served', { reason: (error as Error).message });
      process.exit(1);
    },
  );
releaseStartupHeapLimitLater();
