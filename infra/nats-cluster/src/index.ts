export { freePorts } from './free-ports.js';
export { mqttAnswers } from './mqtt-answers.js';
export { natsNodeConfig } from './node-config.js';
export type { NodeConfigOptions, NodePorts } from './node-config.js';
export { findNatsServer, NATS_SERVER_CANDIDATES, startNatsCluster } from './start-nats-cluster.js';
export type { NatsCluster, NatsNode, StartNatsClusterOptions } from './start-nats-cluster.js';
