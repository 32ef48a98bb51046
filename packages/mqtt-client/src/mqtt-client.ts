import type { Observable } from 'rxjs';
import type { ClientEvent, ConnectionState } from './connection-state.js';

/** A message received on a subscription. */
export interface MqttMessage {
  /** Topic the message was published to. */
  readonly topic: string;
  /** Raw payload bytes (decode with `new TextDecoder().decode(payload)` for text/JSON). */
  readonly payload: Uint8Array;
  /** QoS the message was delivered with. */
  readonly qos: 0 | 1 | 2;
  /** Whether it is a retained message (sent because the subscription was made, not just published). */
  readonly retain: boolean;
  /** Whether the broker flagged it as a possible re-delivery. */
  readonly dup: boolean;
  /** MQTT 5 properties of the PUBLISH packet (user properties, content type…), when present. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** MQTT 5 PUBLISH properties (ignored with MQTT 3.1.1). */
export interface PublishProperties {
  /** Seconds after which the broker discards the message if undelivered. */
  readonly messageExpiryInterval?: number;
  /** MIME type of the payload, e.g. `application/json`. */
  readonly contentType?: string;
  /** Whether the payload is UTF-8 text. */
  readonly payloadFormatIndicator?: boolean;
  /** Topic for a request/response reply. */
  readonly responseTopic?: string;
  /** Correlates a response with its request. */
  readonly correlationData?: Uint8Array;
  /** Application key/value pairs. */
  readonly userProperties?: Readonly<Record<string, string | string[]>>;
}

/** Options of {@link MqttClient.publish}. */
export interface PublishOptions {
  /**
   * 0 = at most once: resolves when written, never sent twice (rejects with `DROPPED` if the
   * connection is lost while it is being written); 1 = at least once: resolves on PUBACK, re-sent
   * (with DUP) until acknowledged (default: 0).
   */
  readonly qos?: 0 | 1;
  /** Ask the broker to keep it as the topic's last known value (default: false). */
  readonly retain?: boolean;
  /** MQTT 5 properties. */
  readonly properties?: PublishProperties;
}

/** Options of {@link MqttClient.observe}. */
export interface ObserveOptions {
  /** Maximum QoS to subscribe with (default: 0). The filter is subscribed at the highest QoS any observer asks. */
  readonly qos?: 0 | 1;
}

/** Options of {@link MqttClient.close}. */
export interface CloseOptions {
  /** How long to wait for unacknowledged and queued messages to be acknowledged, in ms (default: 5000). */
  readonly timeoutMs?: number;
  /**
   * When the broker is unreachable while messages are held, keep reconnecting (at most 500 ms
   * apart, whatever the backoff had reached) and wait for them to be acknowledged, all within
   * `timeoutMs` (default: false — without a connection, close at once). For a shutdown during an
   * outage: a broker back within the timeout still gets what was queued.
   */
  readonly awaitBroker?: boolean;
}

/** Counters of {@link MqttClient.stats}, totals since the client was created. */
export interface MqttClientStats {
  /** PUBLISH packets written (retransmissions included). */
  readonly sent: number;
  /** PUBLISH packets received. */
  readonly received: number;
  /** Publishes completed: QoS 1 acknowledged by PUBACK, QoS 0 written. */
  readonly acknowledged: number;
  /** Messages that left the outbox without reaching the broker (overflow, close, broker refusal). */
  readonly dropped: number;
  /** Connections re-established after the first one. */
  readonly reconnects: number;
  /** Messages held now (queued + awaiting acknowledgement). */
  readonly outboxDepth: number;
  /** Bytes held now. */
  readonly outboxBytes: number;
  /** Messages sent and awaiting acknowledgement now. */
  readonly inFlight: number;
}

/**
 * A reconnecting MQTT client with RxJS streams; create it with {@link createMqttClient}.
 * It connects at once and keeps reconnecting (with backoff) until {@link MqttClient.close}.
 */
export interface MqttClient {
  /** The client id in use (the generated one if none was given). */
  readonly clientId: string;
  /** URL of the broker in use or tried next (with `urls`, it changes on failover), credentials removed, safe to log. */
  readonly url: string;
  /** Connection state: replays the latest value to each subscriber, emits only changes, completes on close. */
  readonly state$: Observable<ConnectionState>;
  /** Events (connected, disconnected, resubscribed, dropped…); not replayed; completes on close. */
  readonly events$: Observable<ClientEvent>;
  /** Current connection state (the latest value of `state$`). */
  readonly state: ConnectionState;
  /**
   * Messages matching `filter` (`+`, `#`, `$share/<group>/<filter>`). SUBSCRIBE goes out with the first
   * observer and UNSUBSCRIBE after the last; one broker subscription per filter however many observe
   * it. Errors with `INVALID_FILTER` or `SUBSCRIBE_REJECTED`; completes when the client closes.
   */
  observe(filter: string, options?: ObserveOptions): Observable<MqttMessage>;
  /**
   * Publishes a message. Resolves on PUBACK (QoS 1) or when written (QoS 0); while offline the
   * message waits in the outbox and is sent, in order, after reconnecting. Rejects with
   * `INVALID_TOPIC`, `OUTBOX_FULL`, `DROPPED`, `PUBLISH_REJECTED` or `CLOSED`.
   */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
  /** Counters, readable at any time (also after close). */
  stats(): MqttClientStats;
  /**
   * Waits (bounded) for held messages to be acknowledged, disconnects cleanly (no last will), rejects
   * whatever is left with `CLOSED` and completes every stream. Safe to call more than once.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * Ends the current connection with DISCONNECT (the broker drops its last will) and connects again
   * at once, as a lost link would but without backoff: a new session for a clean client, the will
   * (a function) asked anew, subscriptions restored, held messages sent after the reconnect.
   * Resolves once the old connection is gone; does nothing unless connected. Sparkplug 3.0 needs it:
   * an edge node whose primary host goes offline publishes NDEATH and starts a new session.
   *
   * @example
   * ```ts
   * await client.publish(ndeathTopic, ndeath);
   * await client.reconnect(); // the next CONNECT registers the next bdSeq's will
   * ```
   */
  reconnect(): Promise<void>;
}
