/**
 * Every way an {@link MqttClientError} can arise, so callers can branch on `error.code` instead of
 * parsing messages.
 *
 * - Input: `INVALID_OPTIONS`, `INVALID_URL`, `INVALID_TOPIC`, `INVALID_FILTER`, `INVALID_PAYLOAD`
 * - Network: `CONNECTION_REFUSED` (nothing listens: ECONNREFUSED), `HOST_NOT_FOUND` (DNS: ENOTFOUND,
 *   EAI_AGAIN), `NETWORK_ERROR` (other socket errors), `TLS_ERROR`, `CONNECT_TIMEOUT` (no CONNACK in
 *   time), `KEEPALIVE_TIMEOUT` (no PINGRESP: half-open connection), `CONNECTION_LOST`
 * - Broker: `BAD_CREDENTIALS`, `NOT_AUTHORIZED`, `CONNACK_REFUSED` (any other refusal),
 *   `SESSION_TAKEN_OVER` (another client connected with the same client id), `SERVER_DISCONNECT`
 *   (MQTT 5 DISCONNECT from the broker), `PROTOCOL_ERROR`
 * - Per operation: `SUBSCRIBE_REJECTED`, `PUBLISH_REJECTED`, `PUBLISH_FAILED`, `OUTBOX_FULL` (rejected by
 *   the `reject-new` policy or larger than the outbox), `DROPPED` (evicted by the `drop-oldest`
 *   policy), `CLOSED` (the client was closed before the operation completed)
 */
export type MqttClientErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_URL'
  | 'INVALID_TOPIC'
  | 'INVALID_FILTER'
  | 'INVALID_PAYLOAD'
  | 'CONNECTION_REFUSED'
  | 'HOST_NOT_FOUND'
  | 'NETWORK_ERROR'
  | 'TLS_ERROR'
  | 'CONNECT_TIMEOUT'
  | 'KEEPALIVE_TIMEOUT'
  | 'CONNECTION_LOST'
  | 'BAD_CREDENTIALS'
  | 'NOT_AUTHORIZED'
  | 'CONNACK_REFUSED'
  | 'SESSION_TAKEN_OVER'
  | 'SERVER_DISCONNECT'
  | 'PROTOCOL_ERROR'
  | 'SUBSCRIBE_REJECTED'
  | 'PUBLISH_REJECTED'
  | 'PUBLISH_FAILED'
  | 'OUTBOX_FULL'
  | 'DROPPED'
  | 'CLOSED';

/**
 * The one error type of `@ot-mqtt/mqtt-client`: a readable message (never containing a password or
 * URL credentials), a stable {@link MqttClientErrorCode} and, where the broker gave one, the MQTT
 * return code (3.1.1) or reason code (5).
 *
 * @example
 * ```ts
 * try {
 *   await client.publish('plant/line1/#', 'x');
 * } catch (error) {
 *   if (error instanceof MqttClientError && error.code === 'INVALID_TOPIC') console.error(error.message);
 * }
 * ```
 */
export class MqttClientError extends Error {
  /** What went wrong, as a stable machine-readable code. */
  readonly code: MqttClientErrorCode;
  /** MQTT 3.1.1 CONNACK return code or MQTT 5 reason code, when the broker sent one. */
  readonly reasonCode?: number;

  /**
   * @param code - the error's {@link MqttClientErrorCode}
   * @param message - what happened, in words (must not contain secrets)
   * @param reasonCode - MQTT return/reason code, if any
   */
  constructor(code: MqttClientErrorCode, message: string, reasonCode?: number) {
    super(message);
    this.name = 'MqttClientError';
    this.code = code;
    if (reasonCode !== undefined) this.reasonCode = reasonCode;
  }
}
