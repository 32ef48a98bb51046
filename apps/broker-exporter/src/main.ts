#!/usr/bin/env node
// Process concerns only: arguments, environment, signals, exit codes. The exporter is
// start-exporter.ts; the metrics live in @ot-mqtt/metrics.
import { createMqttClient } from '@ot-mqtt/mqtt-client';
import { parseArgs } from 'node:util';
import { loadConfig, VARIABLES } from './config.js';
import { startExporter } from './start-exporter.js';

const APP = 'ot-mqtt broker-exporter';
const VERSION = '0.1.0';
/** Exit code for a configuration the exporter refuses to start with. */
const EXIT_CONFIG = 2;

const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
  );

let help = false;
try {
  help =
    parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true }).values.help ??
    false;
} catch (error) {
  process.stderr.write(
    `${APP}: ${(error as Error).message}; configured by environment variables, see --help\n`,
  );
  process.exit(EXIT_CONFIG);
}
if (help) {
  const width = Math.max(...VARIABLES.map((v) => v.name.length));
  process.stdout.write(
    `${APP} ${VERSION}: Mosquitto's $SYS/# figures as Prometheus metrics on /metrics.\n\nEnvironment:\n${VARIABLES.map(
      (v) => `  ${v.name.padEnd(width)}  ${v.description} (default: ${v.default})`,
    ).join('\n')}\n`,
  );
  process.exit(0);
}

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  for (const error of loaded.errors) process.stderr.write(`${APP}: ${error}\n`);
  process.stderr.write(`${APP}: not started; see --help for every variable.\n`);
  process.exit(EXIT_CONFIG);
}
const { config } = loaded;
const client = createMqttClient({
  url: config.url,
  clientId: config.clientId,
  // $SYS values are retained and re-sent on every subscribe: nothing to keep across reconnects.
  clean: true,
  ...(config.username === undefined ? {} : { username: config.username }),
  ...(config.password === undefined ? {} : { password: config.password }),
  ...(config.ca === undefined ? {} : { tls: { ca: config.ca } }),
});
client.state$.subscribe((state) =>
  log(state.status === 'reconnecting' ? 'warn' : 'info', `broker ${state.status}`, {
    url: client.url,
    ...(state.status === 'reconnecting' ? { reason: state.lastError.message } : {}),
  }),
);
const exporter = await startExporter({
  client,
  port: config.port,
  host: config.host,
  staleAfterMs: config.staleAfterMs,
  version: VERSION,
}).catch((error: unknown) => {
  log('error', (error as Error).message);
  process.exit(1);
});
log('info', 'serving', { metrics: exporter.server.url, broker: client.url, user: config.username });

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) process.exit(130);
  stopping = true;
  log('info', `${signal} received: stopping`);
  void Promise.all([exporter.stop(), client.close({ timeoutMs: 1000 })]).then(() =>
    process.exit(0),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
