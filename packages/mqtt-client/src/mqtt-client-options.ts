import type { ReconnectOptions } from './backoff.js';
import type { OutboxBudget } from './outbox-budget.js';

/** Last will: published by the broker if this client disappears without a DISCONNECT. */
export interface WillOptions {
  /** Topic of the will message (no wildcards). */
  readonly topic: string;
  /** Payload of the will message. */
  readonly payload: string | Uint8Array;
  /** QoS of the will message (default: 0). */
  readonly qos?: 0 | 1;
  /** Whether the broker retains the will message (default: false). */
  readonly retain?: boolean;
}

/** TLS material for `mqtts:` and `wss:` URLs (PEM strings or bytes). Ignored by browsers. */
export interface TlsOptions {
  /** Certificate authority (or authorities) to trust instead of the system store. */
  readonly ca?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** Client certificate, for mutual TLS. */
  readonly cert?: string | Uint8Array;
  /** Private key of the client certificate. Never logged. */
  readonly key?: string | Uint8Array;
  /** Server name for SNI and certificate verification, when it differs from the URL's host. */
  readonly servername?: string;
  /** Verify the broker's certificate (default: true; set false only on a test bench). */
  readonly rejectUnauthorized?: boolean;
}

/** Bounds and policy of the outbox that holds messages until the broker acknowledges them. */
export interface OutboxOptions {
  /** Most messages held (queued while offline + awaiting PUBACK) (default: 10000). */
  readonly maxMessages?: number;
  /** Most payload + topic bytes held (default: 16 MiB). */
  readonly maxBytes?: number;
  /**
   * When full: `'drop-oldest'` evicts the oldest messages not yet sent (their Promises reject with
   * `DROPPED`) so the newest data gets through — never one in flight (already on the wire, the
   * broker's to acknowledge), so when everything held is in flight the new publish is rejected with
   * `OUTBOX_FULL`; `'reject-new'` rejects the new publish with `OUTBOX_FULL` (default: `'drop-oldest'`).
   */
  readonly overflow?: 'drop-oldest' | 'reject-new';
  /** Messages sent but not yet acknowledged at any one time (default: 100; MQTT 5: also ≤ the broker's Receive Maximum). */
  readonly maxInFlight?: number;
  /**
   * A memory budget shared with other clients of this process ({@link createOutboxBudget}): on top
   * of this client's own bounds, the clients together hold at most the budget, and `overflow`
   * applies to the oldest messages of all of them (default: none).
   */
  readonly budget?: OutboxBudget;
}

/** Timer functions the client uses for backoff and stability; injectable for tests. */
export interface ClientClock {
  /** Like `globalThis.setTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Like `globalThis.clearTimeout`. */
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch, like `Date.now`. */
  now(): number;
}

/** Options of {@link createMqttClient}. Only `url` (or `urls`) is required. */
export interface MqttClientOptions {
  /**
   * Broker URL: `mqtt://`, `mqtts://`, `ws://` or `wss://` (credentials in it are taken out and
   * never logged). Give `url` or `urls`.
   */
  readonly url?: string;
  /**
   * Several broker URLs, e.g. the nodes of a cluster: the client connects to the first and, whenever
   * an attempt fails or a connection is lost, tries the next one (round robin), with the backoff
   * growing once per round over all of them. It stays on a node that works. Give `url` or `urls`
   * (a `url` that is one of `urls` is accepted and ignored).
   */
  readonly urls?: readonly string[];
  /** Client id; keep it stable so the broker keeps the session across reconnects (default: `ot-mqtt-<random>`). */
  readonly clientId?: string;
  /** User name for the CONNECT packet. */
  readonly username?: string;
  /** Password for the CONNECT packet. Never logged or included in errors. */
  readonly password?: string;
  /** MQTT protocol version: 4 = 3.1.1, 5 = MQTT 5 (default: 4). */
  readonly protocolVersion?: 4 | 5;
  /** Keep-alive interval in seconds; a silent (half-open) connection is dropped after ~1.5× this (default: 60). */
  readonly keepaliveSeconds?: number;
  /** Start without a session and discard it at disconnect (default: false — a persistent session). */
  readonly clean?: boolean;
  /** MQTT 5 only: how long the broker keeps the session after a disconnect, in s (default: 3600 unless `clean`). */
  readonly sessionExpirySeconds?: number;
  /**
   * Last will. A function is called before each connection attempt and its will registered with
   * that CONNECT — for wills that change per connection, such as Sparkplug B's NDEATH with its
   * `bdSeq` (+1 per CONNECT).
   */
  readonly will?: WillOptions | (() => WillOptions);
  /** TLS material for `mqtts:`/`wss:`. */
  readonly tls?: TlsOptions;
  /** Backoff of the reconnect loop. */
  readonly reconnect?: ReconnectOptions;
  /** Bounds of the outbox. */
  readonly outbox?: OutboxOptions;
  /** How long an attempt may take until CONNACK, in ms (default: 30000). */
  readonly connectTimeoutMs?: number;
  /**
   * Set `TCP_NODELAY` on `mqtt:`/`mqtts:` sockets, i.e. switch off Nagle's algorithm (default: true).
   * With Nagle on, a small packet written while an earlier one is unacknowledged waits for the peer's
   * delayed ACK (up to ~40 ms on Linux): MQTT's many small PUBLISH/PUBACK packets then stall. Set false
   * only to trade latency for fewer packets on a metered link. WebSockets already set it (`ws`);
   * browsers decide for themselves.
   */
  readonly noDelay?: boolean;
  /** Timer functions (default: the global ones); for tests with fake timers. */
  readonly clock?: ClientClock;
  /** Source of randomness in [0, 1) for jitter (default: `Math.random`); for tests. */
  readonly random?: () => number;
}
