// `@ot-mqtt/broker/testing`: what a test needs to run against a real Mosquitto — start one with a
// given config on free ports, a vitest fixture, and the third-party command-line clients.
export { createBrokerTest, brokerTest } from './broker-test.js';
export type { BrokerFixtures } from './broker-test.js';
export { collectLines } from './collect-lines.js';
export { ownedFixture } from './owned-fixture.js';
export type { FixtureHooks } from './owned-fixture.js';
export { startMosquittoSub } from './mosquitto-sub.js';
export type { MosquittoSub, MosquittoSubOptions, SubMessage } from './mosquitto-sub.js';
export { mosquittoPub } from './mosquitto-pub.js';
export type { MosquittoPubOptions, MosquittoPubResult } from './mosquitto-pub.js';
export type { MosquittoClientOptions } from './mosquitto-cli-args.js';
export { findMosquitto, startMosquitto } from '../start-mosquitto.js';
export type { RunningMosquitto, StartMosquittoOptions } from '../start-mosquitto.js';
export { startSecureMosquitto } from '../security/start-secure-mosquitto.js';
export type {
  SecureMosquitto,
  StartSecureMosquittoOptions,
} from '../security/start-secure-mosquitto.js';
export { setupSecure } from '../security/setup-secure.js';
export type { SecureSetup } from '../security/setup-secure.js';
export { freePort } from '../free-port.js';
