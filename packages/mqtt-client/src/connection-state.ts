import type { MqttClientError } from './mqtt-client-error.js';

/**
 * Where the connection is, as emitted by `client.state$`:
 *
 * ```text
 *            ┌────────────── connection lost / refused ──────────────┐
 *            ▼                                                        │
 * connecting ──CONNACK 0──▶ connected ──lost──▶ reconnecting ──timer──▶ connecting
 *      │                        │                    │
 *      └──────── close() / unrecoverable ────────────┴──────▶ closed
 * ```
 *
 * `attempt` counts the connection attempts of the current series (1 = first); the series starts again
 * after a connection stayed up `reconnect.stableAfterMs`.
 */
export type ConnectionState = ConnectingState | ConnectedState | ReconnectingState | ClosedState;

/** A connection attempt is under way (TCP/TLS/WebSocket + CONNECT, waiting for CONNACK). */
export interface ConnectingState {
  /** Discriminant. */
  readonly status: 'connecting';
  /** Number of this attempt in the current series (1 = first). */
  readonly attempt: number;
  /** The broker this attempt goes to (credentials removed); set by the client. */
  readonly url?: string;
}

/** The broker accepted the connection. */
export interface ConnectedState {
  /** Discriminant. */
  readonly status: 'connected';
  /** Whether the broker still had this client id's session (subscriptions, queued messages). */
  readonly sessionPresent: boolean;
  /** When the CONNACK arrived. */
  readonly since: Date;
  /** The broker connected to (credentials removed); set by the client. */
  readonly url?: string;
}

/** Waiting before the next attempt after a failure or a lost connection. */
export interface ReconnectingState {
  /** Discriminant. */
  readonly status: 'reconnecting';
  /** Number the next attempt will have. */
  readonly attempt: number;
  /** When the next attempt starts. */
  readonly nextRetryAt: Date;
  /** Why the previous attempt or connection ended (its message names that broker). */
  readonly lastError: MqttClientError;
  /** The broker the next attempt goes to (with `urls`, the next one in turn); set by the client. */
  readonly url?: string;
}

/** Final: no more attempts; every stream of the client has completed. */
export interface ClosedState {
  /** Discriminant. */
  readonly status: 'closed';
  /** `'user'` after `close()`, otherwise the unrecoverable error (e.g. `SESSION_TAKEN_OVER`). */
  readonly reason: 'user' | MqttClientError;
}

/**
 * Things that happened, as emitted by `client.events$` (not replayed: subscribe early).
 *
 * - `connected` — a CONNACK accepted the connection
 * - `disconnected` — an established connection ended (with the reason)
 * - `connect-failed` — an attempt failed before CONNACK 0 (refused, unreachable, timeout)
 * - `session-lost` — the broker had forgotten the session (sessionPresent false after a session existed)
 * - `resubscribed` — the filters sent again because the broker had lost them (once per reconnect)
 * - `republished` — unacknowledged messages sent again after a reconnect
 * - `dropped` — a message left the outbox without reaching the broker ({@link DropReason})
 * - `subscribe-failed` — the broker refused a filter (that `observe()` stream errors)
 */
export type ClientEvent =
  | {
      readonly type: 'connected';
      readonly sessionPresent: boolean;
      readonly attempt: number;
      /** The broker connected to; set by the client. */
      readonly url?: string;
    }
  | {
      readonly type: 'disconnected';
      readonly error: MqttClientError;
      /** The broker the connection was to; set by the client. */
      readonly url?: string;
    }
  | {
      readonly type: 'connect-failed';
      readonly attempt: number;
      readonly error: MqttClientError;
      /** The broker the attempt went to; set by the client. */
      readonly url?: string;
    }
  | { readonly type: 'session-lost' }
  | { readonly type: 'resubscribed'; readonly filters: readonly string[] }
  | { readonly type: 'republished'; readonly count: number; readonly sessionPresent: boolean }
  | {
      readonly type: 'dropped';
      readonly topic: string;
      readonly qos: 0 | 1;
      readonly reason: DropReason;
      readonly totalDropped: number;
    }
  | { readonly type: 'subscribe-failed'; readonly filter: string; readonly error: MqttClientError };

/**
 * Why a message left the outbox without reaching the broker (`dropped` event):
 *
 * - `drop-oldest` — evicted from the full outbox to make room for a newer message
 * - `reject-new` — refused because the outbox was full
 * - `closed` — still held when the client closed
 * - `rejected-by-broker` — the broker refused it (MQTT 5 PUBACK reason code ≥ 0x80) or mqtt.js refused it
 *   locally; a write cut by a dying connection is not a refusal: QoS 1 is written again on the next one
 * - `connection-lost` — a QoS 0 message the connection was lost under while it was being written;
 *   QoS 0 is at most once, so it is not sent again
 */
export type DropReason =
  'drop-oldest' | 'reject-new' | 'closed' | 'rejected-by-broker' | 'connection-lost';
