import { signal, type ReadonlySignal } from '@preact/signals';
import { MqttClientError, type MqttMessage, type PublishOptions } from '@ot-mqtt/mqtt-client';
import type { BrokerLink, BrokerLogin, BrokerStatus, LinkSink } from './broker-link.js';
import type { WorkerEvent, WorkerRequest } from './broker-worker-protocol.js';
import type { FleetStore } from './fleet-store.js';

export type { BrokerLogin, BrokerStatus } from './broker-link.js';

/** Things besides scans the page listens to (alarm events, command replies). */
export interface SideChannels {
  onAlarmEvent(message: MqttMessage): void;
  onCommandReply(message: MqttMessage): void;
}

/** A live connection of the page to the broker, feeding a {@link FleetStore}. */
export interface BrokerConnection {
  readonly status: ReadonlySignal<BrokerStatus>;
  /** Publishes (commands); rejects with the {@link MqttClientError} the broker link gave. */
  publish(topic: string, payload: string, options: PublishOptions): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link connectBroker}. */
export interface ConnectOptions {
  readonly login?: BrokerLogin;
  /**
   * `worker` (default): the connection runs in broker-worker.ts and messages reach the page in
   * batches 100 ms apart — a few tasks a second instead of one per WebSocket frame (data age and
   * staleness count from each message's own arrival). `page`: the connection runs on the page's
   * main thread, a task per message — the benchmark's naive baseline.
   */
  readonly runIn?: 'worker' | 'page';
}

/**
 * Opens the page's broker connection — in a dedicated worker (broker-worker.ts) unless
 * `options.runIn` says `page` — and feeds what it receives to `store` and `side`, in arrival order.
 */
export function connectBroker(
  url: string,
  store: FleetStore,
  side: SideChannels,
  options: ConnectOptions = {},
): BrokerConnection {
  const status = signal<BrokerStatus>({ status: 'connecting' });
  const sink: LinkSink = {
    message(channel, topic, payload, receivedAt) {
      if (channel === 'live') {
        store.ingest(topic, payload, receivedAt);
        return;
      }
      const message: MqttMessage = { topic, payload, qos: 0, retain: false, dup: false };
      if (channel === 'alarm-event') side.onAlarmEvent(message);
      else side.onCommandReply(message);
    },
    status: (next) => (status.value = next),
    refused: (filter, reason, at) => store.problem(filter, `subscription refused: ${reason}`, at),
  };
  const link =
    options.runIn === 'page'
      ? linkInPage(url, store.topicRoot, sink, options.login)
      : linkInWorker(url, store.topicRoot, sink, options.login);
  return { status, publish: link.publish, close: link.close };
}

/** The naive baseline: mqtt.js on the main thread (loaded on demand: not in the first load). */
function linkInPage(
  url: string,
  root: string,
  sink: LinkSink,
  login: BrokerLogin | undefined,
): BrokerLink {
  const link = import('./broker-link.js').then(({ openBrokerLink }) =>
    openBrokerLink(url, root, sink, login),
  );
  return {
    publish: async (topic, payload, options) => (await link).publish(topic, payload, options),
    close: async () => (await link).close(),
  };
}

/** The link in broker-worker.ts, spoken to by messages (broker-worker-protocol.ts). */
function linkInWorker(
  url: string,
  root: string,
  sink: LinkSink,
  login: BrokerLogin | undefined,
): BrokerLink {
  const worker = new Worker(new URL('./broker-worker.ts', import.meta.url), { type: 'module' });
  const send = (request: WorkerRequest) => worker.postMessage(request);
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let nextId = 0;
  let closed: (() => void) | undefined;
  worker.onmessage = (event: MessageEvent<WorkerEvent>) => {
    const data = event.data;
    switch (data.type) {
      case 'messages':
        for (const m of data.messages) sink.message(m.channel, m.topic, m.payload, m.receivedAt);
        break;
      case 'status':
        sink.status(data.status);
        break;
      case 'refused':
        sink.refused(data.filter, data.reason, data.at);
        break;
      case 'published': {
        const call = pending.get(data.id);
        pending.delete(data.id);
        const error = data.error;
        if (!error) call?.resolve();
        else
          call?.reject(
            error.code === undefined
              ? new Error(error.message)
              : new MqttClientError(error.code, error.message, error.reasonCode),
          );
        break;
      }
      case 'closed':
        closed?.();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    sink.status({ status: 'closed', detail: `broker worker failed: ${event.message}` });
  };
  send({ type: 'open', url, root, batchMs: 100, ...(login ? { login } : {}) });
  return {
    publish(topic, payload, options) {
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ type: 'publish', id, topic, payload, options });
      });
    },
    async close() {
      const done = new Promise<void>((resolve) => {
        closed = resolve;
        setTimeout(resolve, 2_000);
      });
      send({ type: 'close' });
      await done;
      worker.terminate();
      for (const call of pending.values()) call.reject(new Error('connection closed'));
      pending.clear();
    },
  };
}
