import mqtt from 'mqtt';
import { Socket } from 'node:net';

/** One connection of a contender, reduced to what the benches do with it. */
export interface Endpoint {
  /** Publishes; resolves on PUBACK (QoS 1) or once written (QoS 0). */
  publish(topic: string, payload: Buffer, qos: 0 | 1): Promise<void>;
  /** Subscribes and calls `onMessage` with each payload. */
  subscribe(filter: string, qos: 0 | 1, onMessage: (payload: Uint8Array) => void): void;
  close(): Promise<void>;
}

/** A client library under test. */
export interface Contender {
  readonly name: string;
  connect(url: string, clientId: string): Promise<Endpoint>;
}

function raw(name: string, noDelay: boolean): Contender {
  return {
    name,
    async connect(url, clientId) {
      const client = await mqtt.connectAsync(url, {
        clientId,
        clean: true,
        protocolVersion: 4,
        keepalive: 60,
        reconnectPeriod: 0,
      });
      // mqtt.js leaves Nagle's algorithm on; issue 6 measured a Nagle/delayed-ACK stall with 2 KB
      // QoS 0 payloads, so the variant with TCP_NODELAY shows what the socket option is worth.
      if (noDelay && client.stream instanceof Socket) client.stream.setNoDelay(true);
      return {
        publish: (topic, payload, qos) =>
          new Promise<void>((resolve, reject) =>
            client.publish(topic, payload, { qos }, (error) => (error ? reject(error) : resolve())),
          ),
        subscribe(filter, qos, onMessage) {
          client.on('message', (_topic, payload) => onMessage(payload));
          client.subscribe(filter, { qos });
        },
        close: () => client.endAsync(),
      };
    },
  };
}

/**
 * Raw mqtt.js 5 as an expert would drive it for speed: callback publish (no promise per message),
 * one `message` listener, no reconnect loop. Same protocol settings as {@link ourClient}.
 */
export const rawMqttJs: Contender = raw('raw mqtt.js', false);

/** {@link rawMqttJs} with `TCP_NODELAY` set on its socket (a reference, not the baseline). */
export const rawMqttJsNoDelay: Contender = raw('raw mqtt.js nodelay', true);

// The slice of the @ot-mqtt/mqtt-client contract (team contracts) the benches use. Typed here and
// looked up at run time so the harness also runs (raw side only) before the client package lands.
interface ContractClient {
  readonly state$: {
    subscribe(next: (state: { status: string; reason?: unknown }) => void): { unsubscribe(): void };
  };
  observe(
    filter: string,
    options: { qos: 0 | 1 },
  ): { subscribe(next: (message: { payload: Uint8Array }) => void): { unsubscribe(): void } };
  publish(topic: string, payload: Uint8Array, options: { qos: 0 | 1 }): Promise<void>;
  close(options?: { timeoutMs?: number }): Promise<void>;
}
type CreateMqttClient = (options: {
  url: string;
  clientId: string;
  clean: boolean;
  protocolVersion: 4;
  keepaliveSeconds: number;
}) => ContractClient;

/** `createMqttClient` of `@ot-mqtt/mqtt-client`, or `undefined` while the package is a placeholder. */
export async function loadCreateMqttClient(): Promise<CreateMqttClient | undefined> {
  const mod = (await import('@ot-mqtt/mqtt-client')) as Record<string, unknown>;
  const create = mod['createMqttClient'];
  return typeof create === 'function' ? (create as CreateMqttClient) : undefined;
}

function whenConnected(client: ContractClient, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`not connected after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // state$ replays synchronously, so the subscription may not exist yet on the first call.
      queueMicrotask(() => subscription.unsubscribe());
      if (error) reject(error);
      else resolve();
    };
    const subscription = client.state$.subscribe((state) => {
      if (state.status === 'connected') finish();
      else if (state.status === 'closed')
        finish(new Error(`client closed: ${String(state.reason)}`));
    });
  });
}

/** `@ot-mqtt/mqtt-client` with the same protocol settings as {@link rawMqttJs}. */
export function ourClient(create: CreateMqttClient): Contender {
  return {
    name: '@ot-mqtt/mqtt-client',
    async connect(url, clientId) {
      const client = create({
        url,
        clientId,
        clean: true,
        protocolVersion: 4,
        keepaliveSeconds: 60,
      });
      await whenConnected(client, 10_000);
      const subscriptions: { unsubscribe(): void }[] = [];
      return {
        publish: (topic, payload, qos) => client.publish(topic, payload, { qos }),
        subscribe(filter, qos, onMessage) {
          subscriptions.push(
            client.observe(filter, { qos }).subscribe((m) => onMessage(m.payload)),
          );
        },
        async close() {
          for (const s of subscriptions) s.unsubscribe();
          await client.close({ timeoutMs: 2000 });
        },
      };
    },
  };
}
