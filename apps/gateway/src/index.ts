export { startGateway } from './start-gateway.js';
export type { Gateway } from './start-gateway.js';
export { parseConfig, helpText, ENV_VARS } from './config.js';
export type { GatewayConfig, ConfigResult, EnvVar, LogLevel } from './config.js';
