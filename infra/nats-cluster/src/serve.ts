#!/usr/bin/env node
// `npx nx serve cluster`: three NATS nodes with their MQTT gateway (see serve-options.ts).
import { runServeCli } from '@ot-mqtt/broker';
import { ClusterOptionError, clusterServeHelp, parseClusterServeOptions } from './serve-options.js';
import { startNatsCluster } from './start-nats-cluster.js';

const { started: cluster } = await runServeCli({
  name: 'cluster',
  help: clusterServeHelp,
  parse: parseClusterServeOptions,
  isOptionError: (error) => error instanceof ClusterOptionError,
  start: (options) => {
    console.log('cluster: starting 3 nats-server nodes …');
    return startNatsCluster({
      host: options.host,
      ...(options.mqttPorts === undefined ? {} : { mqttPorts: options.mqttPorts }),
      ...(options.wsPorts === undefined ? {} : { wsPorts: options.wsPorts }),
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    });
  },
  stop: async (started) => started?.stop(),
  stopping: 'stopping the nodes',
});
for (const node of cluster.nodes)
  console.log(
    `cluster: ${node.name} pid ${node.pid}  ${node.mqttUrl}  ${node.wsUrl}  log ${node.logFile}`,
  );
console.log(`cluster: ready; data in ${cluster.dataDir}`);
console.log(`MQTT_URL=${cluster.mqttUrlList}`);
console.log('cluster: Ctrl-C stops every node');
