import { signal, type ReadonlySignal } from '@preact/signals';
import { MqttClientError, type MqttMessage, type PublishOptions } from '@ot-mqtt/mqtt-client';
import type { BrokerLogin, BrokerStatus } from './broker-link.js';
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
   * Messages reach the page in batches this far apart, ms (default 100: a few tasks a second
   * instead of one per WebSocket frame; data age and staleness count from each message's own
   * arrival). 0 hands each message over at once — the benchmark's naive baseline.
   */
  readonly batchMs?: number;
}

/**
 * Opens the page's broker connection in a dedicated worker (broker-worker.ts) and feeds what it
 * receives to `store` and `side`, in arrival order.
 */
export function connectBroker(
  url: string,
  store: FleetStore,
  side: SideChannels,
  options: ConnectOptions = {},
): BrokerConnection {
  const status = signal<BrokerStatus>({ status: 'connecting' });
  const worker = new Worker(new URL('./broker-worker.ts', import.meta.url), { type: 'module' });
  const send = (request: WorkerRequest) => worker.postMessage(request);
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let nextId = 0;
  let closed: (() => void) | undefined;
  worker.onmessage = (event: MessageEvent<WorkerEvent>) => {
    const data = event.data;
    switch (data.type) {
      case 'messages':
        for (const m of data.messages) {
          if (m.channel === 'live') store.ingest(m.topic, m.payload, m.receivedAt);
          else {
            const message: MqttMessage = {
              topic: m.topic,
              payload: m.payload,
              qos: 0,
              retain: false,
              dup: false,
            };
            if (m.channel === 'alarm-event') side.onAlarmEvent(message);
            else side.onCommandReply(message);
          }
        }
        break;
      case 'status':
        status.value = data.status;
        break;
      case 'refused':
        store.problem(data.filter, `subscription refused: ${data.reason}`, data.at);
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
    status.value = { status: 'closed', detail: `broker worker failed: ${event.message}` };
  };
  send({
    type: 'open',
    url,
    root: store.topicRoot,
    batchMs: options.batchMs ?? 100,
    ...(options.login ? { login: options.login } : {}),
  });
  return {
    status,
    publish(topic, payload, publishOptions) {
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ type: 'publish', id, topic, payload, options: publishOptions });
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
