import type { MqttClientErrorCode } from './mqtt-client-error.js';

/** Reconnect timing of {@link MqttClientOptions.reconnect}; every field has a default. */
export interface ReconnectOptions {
  /** Delay before the first retry, in ms (default: 1000). */
  readonly initialDelayMs?: number;
  /** Upper bound of any delay, jitter included, in ms (default: 60000). */
  readonly maxDelayMs?: number;
  /** Growth factor from one retry to the next (default: 2). */
  readonly multiplier?: number;
  /** Random spread, as a fraction of the delay: 0.25 gives ±25 % (default: 0.25). */
  readonly jitter?: number;
  /**
   * How long a connection must stay up before the delay starts again from `initialDelayMs`, in ms
   * (default: 10000). A connection that carried traffic (the broker sent anything after CONNACK: a
   * PUBACK, SUBACK, message or PINGRESP) also starts the delay again when it ends, however short it
   * was, so a link that drops every few seconds is retried promptly. A broker that accepts and then
   * drops at once therefore still sees growing delays instead of a tight loop.
   */
  readonly stableAfterMs?: number;
  /**
   * What to do when the broker reports that another client took over the session (same client id):
   * `'stop'` closes this client with a `SESSION_TAKEN_OVER` reason — two processes fighting over one
   * client id otherwise kick each other forever; `'retry'` keeps reconnecting with backoff
   * (default: `'stop'`). Applies when an MQTT 5 broker says so (DISCONNECT reason code 0x8E).
   * Brokers that just close the old connection (MQTT 3.1.1; Mosquitto 2.0.11 also with MQTT 5) are
   * recognised by the pattern a takeover battle produces and a flapping link does not — accepted
   * with the session present, then closed cleanly (no socket error) within 2 s of CONNACK, three
   * times in a row — and reported as `SESSION_TAKEN_OVER` in `state$`; the client keeps retrying
   * with growing delays, since that is a suspicion, not the broker's word.
   */
  readonly onSessionTakenOver?: 'stop' | 'retry';
  /**
   * Error codes after which the client stops instead of retrying, e.g.
   * `['BAD_CREDENTIALS', 'NOT_AUTHORIZED']` for credentials that will not fix themselves; the client
   * then ends in `closed` with that error (default: none — keep retrying with backoff, since a
   * broker's password file or ACL may be corrected while we wait).
   */
  readonly giveUpOn?: readonly MqttClientErrorCode[];
}

/** {@link ReconnectOptions} with every default filled in. */
export type ResolvedReconnectOptions = Required<ReconnectOptions>;

/** The defaults of {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT: ResolvedReconnectOptions = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 0.25,
  stableAfterMs: 10_000,
  onSessionTakenOver: 'stop',
  giveUpOn: [],
};

/**
 * Delay before reconnect number `retry` (1 for the first retry after a stable connection or the
 * first attempt): `min(initial · multiplier^(retry-1), max)`, spread by ±`jitter` and never above
 * `maxDelayMs`. `random` returns a number in [0, 1) (default `Math.random`), injectable for tests.
 *
 * @example
 * ```ts
 * backoffDelay(1, DEFAULT_RECONNECT, () => 0.5); // 1000
 * backoffDelay(4, DEFAULT_RECONNECT, () => 0.5); // 8000
 * backoffDelay(99, DEFAULT_RECONNECT, () => 0.999); // ≤ 60000
 * ```
 */
export function backoffDelay(
  retry: number,
  options: ResolvedReconnectOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, retry - 1);
  const base = Math.min(
    options.initialDelayMs * Math.pow(options.multiplier, exponent),
    options.maxDelayMs,
  );
  // Jitter spreads the reconnects of many clients after a broker restart (no thundering herd).
  const spread = base * options.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(options.maxDelayMs, Math.round(base + spread)));
}
