import { createMqttClient, type ConnectionState, type PublishOptions } from '@ot-mqtt/mqtt-client';
import type { Subscription } from 'rxjs';

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

/** Which of the page's subscriptions a message came through. */
export type Channel = 'live' | 'alarm-event' | 'command-reply';

/** Where a {@link BrokerLink} delivers what the broker sends. */
export interface LinkSink {
  message(channel: Channel, topic: string, payload: Uint8Array, receivedAt: number): void;
  status(status: BrokerStatus): void;
  /** A subscription the broker refused (ACL), in words. */
  refused(filter: string, reason: string, at: number): void;
}

/** An open MQTT connection of the page: publish (commands) and close. */
export interface BrokerLink {
  publish(topic: string, payload: string, options: PublishOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects with MQTT 5 over WebSockets and subscribes to what the screens need — the complete
 * dataset (one message per scan; the six group topics would be six times the traffic for the same
 * values), the retained connection status, PackML state, alarm events and command replies, each for
 * the single-filler and the fleet topic layout. Runs in the broker worker (see broker-worker.ts).
 */
export function openBrokerLink(
  url: string,
  root: string,
  sink: LinkSink,
  login?: BrokerLogin,
): BrokerLink {
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
  const subscriptions: Subscription[] = [
    client.state$.subscribe((state) => sink.status(statusOf(state))),
  ];
  const filters: Array<[Channel, 0 | 1, string[]]> = [
    ['live', 0, ['data', 'connection', 'packml']],
    ['alarm-event', 0, ['alarms/events']],
    ['command-reply', 1, ['command/reply']],
  ];
  for (const [channel, qos, kinds] of filters) {
    for (const kind of kinds) {
      for (const filter of [`${root}/${kind}`, `${root}/+/${kind}`]) {
        subscriptions.push(
          client.observe(filter, { qos }).subscribe({
            next: (message) => sink.message(channel, message.topic, message.payload, Date.now()),
            error: (error: Error) => sink.refused(filter, error.message, Date.now()),
          }),
        );
      }
    }
  }
  return {
    publish: (topic, payload, options) => client.publish(topic, payload, options),
    async close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await client.close({ timeoutMs: 1_000 });
    },
  };
}

function statusOf(state: ConnectionState): BrokerStatus {
  switch (state.status) {
    case 'connected':
    case 'connecting':
      return { status: state.status };
    case 'reconnecting':
      return { status: 'reconnecting', detail: state.lastError.message };
    case 'closed': {
      const reason = state.reason;
      const loginNeeded =
        reason !== 'user' &&
        (reason.code === 'BAD_CREDENTIALS' || reason.code === 'NOT_AUTHORIZED');
      return {
        status: 'closed',
        detail: reason === 'user' ? 'closed' : reason.message,
        ...(loginNeeded ? { loginNeeded } : {}),
      };
    }
  }
}
