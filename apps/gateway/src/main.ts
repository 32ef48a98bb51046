import { createLogger, EXIT_CONFIG, exitOnConfigErrors } from '@ot-mqtt/app-kit';
import { helpText, parseConfig } from './config.js';
import { startGateway } from './start-gateway.js';

const parsed = parseConfig(process.env, process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(helpText());
  process.exit(0);
}
if (parsed.kind === 'error') {
  exitOnConfigErrors('gateway', parsed.errors);
  process.exit(EXIT_CONFIG); // not reached (it has exited): narrows `parsed` for TypeScript
}
const config = parsed.config;
const log = createLogger({ level: config.logLevel, format: config.logFormat });
for (const warning of parsed.warnings) log.warn(warning);

let gateway: Awaited<ReturnType<typeof startGateway>>;
try {
  gateway = await startGateway(config, log);
} catch (error) {
  log.error('gateway failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
}
log.info(`gateway listening on ${gateway.url}`, {
  api: `${gateway.url}/api/machines`,
  openapi: `${gateway.url}/openapi.json`,
  metrics: gateway.metricsUrl,
  broker: config.mqttUrl,
  auth: config.token ? 'bearer token' : 'none',
});
if (!config.token && !['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
  log.warn(
    'listening beyond localhost without GATEWAY_TOKEN: anyone who can reach it can read the history',
  );
}

let stopping = false;
void gateway.ingestDied.then((error) => {
  if (stopping) return;
  // Nothing the ingest held was acknowledged: a restart (by the supervisor) gets it all again.
  log.error('ingest thread died: exiting', { error: error.message });
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
