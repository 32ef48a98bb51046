// Environment: one table per app → parsing, --help, docs.
export { envVar, envSpecProblems, documentedDefault } from './env-var.js';
export type {
  EnvVar,
  EnvVarWithDefault,
  EnvSpec,
  EnvName,
  EnvValues,
  EnvGiven,
  EnvValueOf,
} from './env-var.js';
export { parseEnv, envErrorMessage } from './parse-env.js';
export type { Env, EnvError, ParsedEnv } from './parse-env.js';
export { formatEnvHelp, formatEnvTable, missingEnvTableRows } from './env-docs.js';
export type { EnvHelpOptions } from './env-docs.js';
export {
  BOOLEAN_ALLOWED,
  BROKER_URL_SCHEMES,
  boolean,
  brokerUrl,
  brokerUrlList,
  brokerUrlProblem,
  clientId,
  filePath,
  host,
  oneOf,
  oneOfNumbers,
  seconds,
  text,
  textRule,
  wholeNumber,
} from './env-schemas.js';
export type { SecondsOptions } from './env-schemas.js';

// The variables every app shares.
export {
  MQTT_BROKER_HOST,
  MQTT_BROKER_PORT,
  MQTT_CA_FILE,
  MQTT_CERT_FILE,
  MQTT_CLEAN_SESSION,
  MQTT_CLIENT_ID,
  MQTT_ENV,
  MQTT_KEEPALIVE,
  MQTT_KEY_FILE,
  MQTT_PASSWORD,
  MQTT_PASSWORD_FILE,
  MQTT_PROTOCOL_VERSION,
  MQTT_TLS,
  MQTT_TLS_SERVERNAME,
  MQTT_URL,
  MQTT_USERNAME,
} from './mqtt-env.js';
export { METRICS_ENV, METRICS_HOST, METRICS_MAX_MACHINES, METRICS_PORT } from './metrics-env.js';
export { restateEnv } from './restate-env.js';
export type { EnvRestatement, EnvRestatements, RestatedEnv } from './restate-env.js';
export { resolveMqttConnection } from './resolve-mqtt-connection.js';
export type {
  MqttConnection,
  ReadTextFile,
  ResolveMqttConnectionOptions,
} from './resolve-mqtt-connection.js';
export { LOG_LEVEL, LOG_FORMAT } from './log-env.js';

// Logging and connection state.
export { createLogger, levelEnabled, LOG_LEVELS } from './logger.js';
export type { Logger, LoggerOptions, LogFields, LogLevel } from './logger.js';
export { CONNECTION_HINTS, connectionHint } from './connection-hints.js';
export { describeConnectionState, errorFields } from './describe-connection-state.js';
export type { LogRecord } from './describe-connection-state.js';

// Process: argv, exit codes, shutdown, start-up heap.
export { parseArgv } from './parse-argv.js';
export type { ParsedArgv } from './parse-argv.js';
export { exitOnConfigErrors, EXIT_CONFIG } from './exit-on-config-errors.js';
export type { ExitIo } from './exit-on-config-errors.js';
export { installGracefulShutdown } from './graceful-shutdown.js';
export type {
  GracefulShutdown,
  GracefulShutdownOptions,
  ShutdownProcess,
} from './graceful-shutdown.js';
export { releaseStartupHeapLimitLater } from './release-startup-heap.js';
