#!/usr/bin/env node
// Process concerns only: arguments, environment, signals, exit codes. The exporter is
// start-exporter.ts; the metrics live in @ot-mqtt/metrics.
import { EXIT_CONFIG, exitOnConfigErrors, formatEnvHelp, parseArgv } from '@ot-mqtt/app-kit';
import { createMqttClient } from '@ot-mqtt/mqtt-client';
import { ENV, loadConfig } from './config.js';
import { startExporter } from './start-exporter.js';

const APP = 'ot-mqtt broker-exporter';
const VERSION = '0.1.0';

const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
  );

const args = parseArgv(process.argv.slice(2));
if (args.help) {
  process.stdout.write(
    formatEnvHelp(ENV, {
      intro: [
        `${APP} ${VERSION}: Mosquitto's $SYS/# figures as Prometheus metrics on /metrics.`,
        '',
        'Usage: node apps/broker-exporter/dist/main.js [--help]      (or: npx nx serve broker-exporter)',
        '',
        'Configured by environment variables; an empty value counts as unset. An invalid value stops',
        'the exporter with exit code 2. SIGINT/SIGTERM stop it cleanly (exit 0).',
      ],
    }),
  );
  process.exit(0);
}
exitOnConfigErrors(APP, args.errors);

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  exitOnConfigErrors(APP, loaded.errors);
  process.exit(EXIT_CONFIG); // not reached: narrows `loaded` for what follows
}
for (const warning of loaded.warnings) log('warn', warning);
const { config } = loaded;
const client = createMqttClient({
  ...config.connection,
  clientId: config.clientId,
  // $SYS values are retained and re-sent on every subscribe: nothing to keep across reconnects.
  clean: true,
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
log('info', 'serving', {
  metrics: exporter.server.url,
  broker: client.url,
  user: config.connection.username,
});

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
