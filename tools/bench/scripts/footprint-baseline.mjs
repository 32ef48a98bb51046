/* global setInterval */
// Baselines of the footprint bench: the least a Node process needs to do the agent's or the viewer's
// job with raw mqtt.js, so our apps' memory and start-up time can be read against it.
//   publish: connect, publish one data-topic payload at once and every 2 s (the agent's job)
//   subscribe: subscribe to plc/bottlefiller/# and print every payload on a line (the viewer's job)
// Env: BENCH_URL, BENCH_PAYLOAD (publish mode).
import mqtt from 'mqtt';

const mode = process.argv[2];
const client = await mqtt.connectAsync(process.env.BENCH_URL, { clean: true, reconnectPeriod: 0 });
if (mode === 'publish') {
  let sequence = 0;
  const publish = () => {
    const payload = process.env.BENCH_PAYLOAD.replace(
      '"sequence":0',
      `"sequence":${sequence++}`,
    ).replace(/"timestamp":"[^"]*"/, `"timestamp":"${new Date().toISOString()}"`);
    client.publish('plc/bottlefiller/data', payload, { qos: 1 });
  };
  publish();
  setInterval(publish, 2000);
} else {
  client.on('message', (_topic, payload) => process.stdout.write(payload.toString() + '\n'));
  await client.subscribeAsync('plc/bottlefiller/#', { qos: 1 });
}
const stop = () => client.end(false, {}, () => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
