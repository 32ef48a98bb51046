export { adaptConfig } from './adapt-config.js';
export type { AdaptConfigOptions } from './adapt-config.js';
export { startEmbeddedBroker } from './embedded-broker.js';
export type { EmbeddedBroker, EmbeddedBrokerOptions } from './embedded-broker.js';
export { freePort } from './free-port.js';
export { parseListeners, schemeOf } from './listeners.js';
export type { ListenerInfo } from './listeners.js';
export { probeMqtt } from './probe-mqtt.js';
export type { PortOccupant, ProbeMqttOptions } from './probe-mqtt.js';
export { BrokerStartError, DEFAULT_RUN_DIR, describeBroker, serveBroker } from './serve-broker.js';
export type { ServedBroker } from './serve-broker.js';
export {
  parseServeOptions,
  SERVE_VARIABLES,
  ServeOptionError,
  serveHelp,
} from './serve-options.js';
export type { BrokerChoice, ServeOptions, ServeVariable } from './serve-options.js';
export { canConnect, waitForPort } from './wait-for-port.js';
export { CONFIG_DIR, findMosquitto, startMosquitto } from './start-mosquitto.js';
export type { RunningMosquitto, StartMosquittoOptions } from './start-mosquitto.js';
