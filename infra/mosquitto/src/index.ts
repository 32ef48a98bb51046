export { adaptConfig } from './adapt-config.js';
export type { AdaptConfigOptions } from './adapt-config.js';
export { startEmbeddedBroker } from './embedded-broker.js';
export type { EmbeddedBroker, EmbeddedBrokerOptions } from './embedded-broker.js';
export { findExecutable } from './find-executable.js';
export { followFile } from './follow-file.js';
export type { FileFollower } from './follow-file.js';
export { freePort } from './free-port.js';
export { parseListeners, schemeOf } from './listeners.js';
export type { ListenerInfo } from './listeners.js';
export { probeMqtt } from './probe-mqtt.js';
export { runServeCli } from './serve-cli.js';
export type { ServeCli, ServingCli } from './serve-cli.js';
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
export {
  CERTIFICATE_ONLY_USERS,
  DEFAULT_SECRETS_DIR,
  SECURE_USERS,
  setupSecure,
} from './security/setup-secure.js';
export type { SecureSetup, SecureUserFiles, SetupSecureOptions } from './security/setup-secure.js';
export {
  assembleConfig,
  BRIDGE_CONFIG_DIR,
  PRODUCTION_CONFIG_DIR,
  startSecureMosquitto,
} from './security/start-secure-mosquitto.js';
export type {
  SecureMosquitto,
  StartSecureMosquittoOptions,
} from './security/start-secure-mosquitto.js';
export { createCertificateAuthority, issueCertificate } from './security/dev-pki.js';
export type { CertificateAuthorityOptions, IssueCertificateOptions } from './security/dev-pki.js';
export { startWsRelay } from './ws-relay.js';
export type { WsRelay, WsRelayOptions } from './ws-relay.js';
