import { parentPort, workerData } from 'node:worker_threads';
import type { EncodedMessage } from '@ot-mqtt/tag-model';
import mqtt from 'mqtt';

/** What the viewer-ingest bench hands to this worker. */
export interface BurstJob {
  readonly url: string;
  readonly messages: readonly EncodedMessage[];
  readonly qos: 0 | 1;
}

/**
 * Publishes with at most 1000 messages not yet acknowledged (QoS 1) or not yet written to the
 * socket (QoS 0); resolves to msg/s.
 */
async function publishAll(
  url: string,
  messages: readonly EncodedMessage[],
  qos: 0 | 1,
): Promise<number> {
  const client = await mqtt.connectAsync(url, {
    clientId: `bench-burst-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
  });
  const t0 = performance.now();
  let acked = 0;
  let sent = 0;
  let failed: Error | undefined;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < messages.length && sent - acked < 1000) {
        const m = messages[sent++]!;
        client.publish(m.topic, m.payload, { qos }, (error) => {
          if (error) failed ??= error;
          acked++;
          if (failed) reject(failed);
          else if (acked === messages.length) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  const rate = (messages.length / (performance.now() - t0)) * 1000;
  await client.endAsync();
  return rate;
}

if (parentPort) {
  const { url, messages, qos } = workerData as BurstJob;
  const port = parentPort;
  // A failure rejects unhandled, which ends the worker with an 'error' event for the bench.
  void publishAll(url, messages, qos).then((rate) => port.postMessage(rate));
}
