import type { ConnectionState, MqttClientError, MqttClientErrorCode } from '@ot-mqtt/mqtt-client';
import { connectionHint } from './connection-hints.js';
import type { LogFields, LogLevel } from './logger.js';

/** A log record: level, message and fields. */
export interface LogRecord {
  /** Severity. */
  readonly level: LogLevel;
  /** What happened, in words. */
  readonly message: string;
  /** Context. */
  readonly fields: LogFields;
}

/** Codes that end an established connection (the others end an attempt). */
const LOST: ReadonlySet<MqttClientErrorCode> = new Set([
  'CONNECTION_LOST',
  'KEEPALIVE_TIMEOUT',
  'SERVER_DISCONNECT',
  'SESSION_TAKEN_OVER',
]);

/**
 * The fields that explain an error: `code`, `reason`, the broker's `returnCode` and a `hint`.
 *
 * @example
 * ```ts
 * import { MqttClientError } from '@ot-mqtt/mqtt-client';
 * import { errorFields } from '@ot-mqtt/app-kit';
 *
 * errorFields(new MqttClientError('NOT_AUTHORIZED', 'not authorised', 5)).hint;
 * ```
 */
export function errorFields(error: MqttClientError): LogFields {
  const hint = connectionHint(error.code);
  return {
    code: error.code,
    reason: error.message,
    ...(error.reasonCode === undefined ? {} : { returnCode: error.reasonCode }),
    ...(hint === undefined ? {} : { hint }),
  };
}

/**
 * The log line for a connection state change: connects and clean closes at `info`, lost
 * connections and failed attempts at `warn` (the client retries by itself), a final failure at
 * `error`. Later attempts of one outage go to `debug`, so a long outage does not flood the log.
 *
 * @example
 * ```ts
 * import { createMqttClient } from '@ot-mqtt/mqtt-client';
 * import { createLogger, describeConnectionState } from '@ot-mqtt/app-kit';
 *
 * const logger = createLogger();
 * const client = createMqttClient({ url: 'mqtt://localhost:1883' });
 * client.state$.subscribe((state) => {
 *   const record = describeConnectionState(state, client.url);
 *   logger[record.level](record.message, record.fields);
 * });
 * ```
 */
export function describeConnectionState(state: ConnectionState, url: string): LogRecord {
  switch (state.status) {
    case 'connecting':
      return {
        level: state.attempt === 1 ? 'info' : 'debug',
        message: 'connecting',
        fields: { url, attempt: state.attempt },
      };
    case 'connected':
      return {
        level: 'info',
        message: 'connected',
        fields: { url, sessionPresent: state.sessionPresent },
      };
    case 'reconnecting':
      return {
        level: 'warn',
        message: LOST.has(state.lastError.code)
          ? 'connection lost, will retry'
          : state.attempt <= 2
            ? 'cannot connect, will retry'
            : 'still cannot connect, will retry',
        fields: {
          url,
          nextAttempt: state.attempt,
          retryAt: state.nextRetryAt.toISOString(),
          ...errorFields(state.lastError),
        },
      };
    case 'closed':
      return state.reason === 'user'
        ? { level: 'info', message: 'disconnected', fields: { url } }
        : {
            level: 'error',
            message: 'gave up connecting',
            fields: { url, ...errorFields(state.reason) },
          };
  }
}
