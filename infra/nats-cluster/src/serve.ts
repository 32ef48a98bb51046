#!/usr/bin/env node
// `npx nx serve cluster`: three NATS nodes with their MQTT gateway (see serve-options.ts).
import { ClusterOptionError, clusterServeHelp, parseClusterServeOptions } from './serve-options.js';
import { startNatsCluster, type NatsCluster } from './start-nats-cluster.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(clusterServeHelp());
  process.exit(0);
}
let options;
try {
  options = parseClusterServeOptions(args);
} catch (error) {
  if (!(error instanceof ClusterOptionError)) throw error;
  console.error(`cluster: ${error.message}`);
  process.exit(2);
}

let stopping = false;
console.log('cluster: starting 3 nats-server nodes …');
const starting = startNatsCluster({
  host: options.host,
  ...(options.mqttPorts === undefined ? {} : { mqttPorts: options.mqttPorts }),
  ...(options.wsPorts === undefined ? {} : { wsPorts: options.wsPorts }),
  ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
});
// Signals are handled from here on, so nodes still starting are stopped too, not orphaned.
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`cluster: ${signal}, stopping the nodes`);
  const started = await starting.catch(() => undefined);
  await started?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

let cluster: NatsCluster;
try {
  cluster = await starting;
} catch (error) {
  console.error(`cluster: could not start: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // stop() ends the process
for (const node of cluster.nodes)
  console.log(
    `cluster: ${node.name} pid ${node.pid}  ${node.mqttUrl}  ${node.wsUrl}  log ${node.logFile}`,
  );
console.log(`cluster: ready; data in ${cluster.dataDir}`);
console.log(`MQTT_URL=${cluster.mqttUrlList}`);
console.log('cluster: Ctrl-C stops every node');
