import { signal, type ReadonlySignal } from '@preact/signals';
import { createMqttClient, type MqttClient, type MqttMessage } from '@ot-mqtt/mqtt-client';
import type { Subscription } from 'rxjs';
import type { FleetStore } from './fleet-store.js';

/** The broker link as the connection indicator shows it. */
export interface BrokerStatus {
  readonly status: 'connecting' | 'connected' | 'reconnecting' | 'closed';
  /** Why it is not connected, in words (never contains a password). */
  readonly detail?: string;
  /** The broker refused the credentials: ask for them (again). */
  readonly loginNeeded?: boolean;
}

/** Broker credentials typed by the user; held in memory only, never stored or built in. */
export interface BrokerLogin {
  readonly username: string;
  readonly password: string;
}

/** Things besides scans the page listens to (alarm events, command replies). */
export interface SideChannels {
  onAlarmEvent(message: MqttMessage): void;
  onCommandReply(message: MqttMessage): void;
}

/** A live connection of the page to the broker, feeding a {@link FleetStore}. */
export interface BrokerConnection {
  readonly status: ReadonlySignal<BrokerStatus>;
  readonly client: MqttClient;
  close(): Promise<void>;
}

/**
 * Connects with MQTT 5 over WebSockets and subscribes to what the screens need — the complete
 * dataset (one message per scan; the six group topics would be six times the traffic for the same
 * values), the retained connection status, PackML state, alarm events and command replies, each for
 * the single-filler and the fleet topic layout.
 */
export function connectBroker(
  url: string,
  store: FleetStore,
  side: SideChannels,
  login?: BrokerLogin,
): BrokerConnection {
  const root = store.topicRoot;
  const status = signal<BrokerStatus>({ status: 'connecting' });
  const client = createMqttClient({
    url,
    clientId: `ot-mqtt-dashboard-${Math.random().toString(36).slice(2, 10)}`,
    protocolVersion: 5,
    // A page has no use for messages queued while it was away: no session left behind per tab.
    clean: true,
    keepaliveSeconds: 20,
    connectTimeoutMs: 10_000,
    reconnect: {
      initialDelayMs: 500,
      maxDelayMs: 5_000,
      giveUpOn: ['BAD_CREDENTIALS', 'NOT_AUTHORIZED'],
    },
    ...(login ? { username: login.username, password: login.password } : {}),
  });
  const subscriptions: Subscription[] = [];
  subscriptions.push(
    client.state$.subscribe((state) => {
      switch (state.status) {
        case 'connected':
          status.value = { status: 'connected' };
          break;
        case 'connecting':
          status.value = { status: 'connecting' };
          break;
        case 'reconnecting':
          status.value = { status: 'reconnecting', detail: state.lastError.message };
          break;
        case 'closed': {
          const reason = state.reason;
          const loginNeeded =
            reason !== 'user' &&
            (reason.code === 'BAD_CREDENTIALS' || reason.code === 'NOT_AUTHORIZED');
          status.value = {
            status: 'closed',
            detail: reason === 'user' ? 'closed' : reason.message,
            ...(loginNeeded ? { loginNeeded } : {}),
          };
        }
      }
    }),
  );
  const ingest = (message: MqttMessage) => store.ingest(message.topic, message.payload, Date.now());
  const reportError = (filter: string) => (error: Error) =>
    store.problem(filter, `subscription refused: ${error.message}`, Date.now());
  for (const kind of ['data', 'connection', 'packml']) {
    for (const filter of [`${root}/${kind}`, `${root}/+/${kind}`]) {
      subscriptions.push(
        client.observe(filter, { qos: 0 }).subscribe({ next: ingest, error: reportError(filter) }),
      );
    }
  }
  for (const filter of [`${root}/alarms/events`, `${root}/+/alarms/events`]) {
    subscriptions.push(
      client
        .observe(filter, { qos: 0 })
        .subscribe({ next: side.onAlarmEvent, error: reportError(filter) }),
    );
  }
  for (const filter of [`${root}/command/reply`, `${root}/+/command/reply`]) {
    subscriptions.push(
      client
        .observe(filter, { qos: 1 })
        .subscribe({ next: side.onCommandReply, error: reportError(filter) }),
    );
  }
  return {
    status,
    client,
    async close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await client.close({ timeoutMs: 1_000 });
    },
  };
}
