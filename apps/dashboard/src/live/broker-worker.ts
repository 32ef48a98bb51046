/// <reference lib="webworker" />
// The page's MQTT connection lives in this dedicated worker. Profiled with 1,000 fillers at 2 s
// (500 WebSocket frames/s), most of the main thread's time went to the frames themselves — one
// browser task per frame, plus the timers mqtt.js's stream shims schedule per message — not to the
// page's own code. Here they cost a thread of their own; the page gets one task per batch.
import { MqttClientError } from '@ot-mqtt/mqtt-client';
import { openBrokerLink, type BrokerLink } from './broker-link.js';
import type { RelayedMessage, WorkerEvent, WorkerRequest } from './broker-worker-protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent, transfer: Transferable[] = []) =>
  scope.postMessage(event, transfer);
let link: BrokerLink | undefined;
let batchMs = 0;
let queue: RelayedMessage[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (queue.length === 0) return;
  const messages = queue;
  queue = [];
  post(
    { type: 'messages', messages },
    messages.map((m) => m.payload.buffer as ArrayBuffer),
  );
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'open':
      batchMs = request.batchMs;
      link = openBrokerLink(
        request.url,
        request.root,
        {
          message(channel, topic, payload, receivedAt) {
            // A copy (Buffer#slice would share memory): the payload may be a view into a larger socket
            // buffer, and what is transferred is a whole ArrayBuffer.
            queue.push({ channel, topic, payload: new Uint8Array(payload), receivedAt });
            if (batchMs === 0) flush();
            else timer ??= setTimeout(flush, batchMs);
          },
          status(status) {
            // What arrived before a drop is delivered before the drop is reported.
            flush();
            post({ type: 'status', status });
          },
          refused(filter, reason, at) {
            post({ type: 'refused', filter, reason, at });
          },
        },
        request.login,
      );
      break;
    case 'publish':
      if (!link) {
        post({ type: 'published', id: request.id, error: { message: 'not connected' } });
        break;
      }
      link.publish(request.topic, request.payload, request.options).then(
        () => post({ type: 'published', id: request.id }),
        (error: Error) =>
          post({
            type: 'published',
            id: request.id,
            error:
              error instanceof MqttClientError
                ? {
                    code: error.code,
                    message: error.message,
                    ...(error.reasonCode === undefined ? {} : { reasonCode: error.reasonCode }),
                  }
                : { message: error.message },
          }),
      );
      break;
    case 'close':
      flush();
      void (link?.close() ?? Promise.resolve()).finally(() => post({ type: 'closed' }));
      link = undefined;
      break;
  }
};
