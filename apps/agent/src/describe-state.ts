import type { ConnectionState, MqttClientError } from '@ot-mqtt/mqtt-client';
import type { LogFields } from './logger.js';
import type { LogLevel } from './config.js';

/** A log record: level, message and fields. */
export interface LogRecord {
  /** Severity. */
  readonly level: LogLevel;
  /** What happened, in words. */
  readonly message: string;
  /** Context. */
  readonly fields: LogFields;
}

/**
 * What to check for each way a connection fails, in the words of the variables the user sets. A
 * refused connection must say why and what to do (issue 5), not just print a return code.
 */
const HINTS: Partial<Record<MqttClientError['code'], string>> = {
  CONNECTION_REFUSED:
    'nothing accepts connections there: is the broker running, and are MQTT_BROKER_HOST/MQTT_BROKER_PORT (or MQTT_URL) right?',
  HOST_NOT_FOUND: 'the host name does not resolve: check MQTT_BROKER_HOST (or MQTT_URL) and DNS',
  CONNECT_TIMEOUT:
    'no answer in time: check firewalls between agent and broker, and that the port speaks MQTT (not WebSockets or TLS)',
  TLS_ERROR:
    'TLS handshake failed: check MQTT_CA_FILE (the CA that signed the broker certificate) and MQTT_TLS_SERVERNAME (the name in the certificate)',
  BAD_CREDENTIALS:
    'the broker refused the user name or password: check MQTT_USERNAME and MQTT_PASSWORD(_FILE)',
  NOT_AUTHORIZED:
    'the broker refused this client: check the user, the client certificate and the ACL (the agent must be allowed to publish under TOPIC_ROOT)',
  SESSION_TAKEN_OVER:
    'another client connected with the same MQTT_CLIENT_ID: give every agent its own client id',
  // MQTT 3.1.1 brokers just drop the older of two connections with one client id, without a reason.
  CONNECTION_LOST:
    'if this repeats every few seconds, another client may be using the same MQTT_CLIENT_ID; otherwise check the broker log and the network',
  KEEPALIVE_TIMEOUT: 'the broker stopped answering (half-open connection): check the network path',
};

/** Codes that end an established connection (the others end an attempt). */
const LOST: ReadonlySet<MqttClientError['code']> = new Set([
  'CONNECTION_LOST',
  'KEEPALIVE_TIMEOUT',
  'SERVER_DISCONNECT',
  'SESSION_TAKEN_OVER',
]);

const reasonFields = (error: MqttClientError): LogFields => ({
  code: error.code,
  reason: error.message,
  ...(error.reasonCode === undefined ? {} : { returnCode: error.reasonCode }),
  ...(HINTS[error.code] === undefined ? {} : { hint: HINTS[error.code] }),
});

/**
 * The log line for a connection state change: connects and clean closes at `info`, lost
 * connections and failed attempts at `warn` (the client retries by itself), a final failure at
 * `error`. Later attempts of one outage go to `debug`, so a long outage does not flood the log.
 */
export function describeState(state: ConnectionState, url: string): LogRecord {
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
          ...reasonFields(state.lastError),
        },
      };
    case 'closed':
      return state.reason === 'user'
        ? { level: 'info', message: 'disconnected', fields: { url } }
        : {
            level: 'error',
            message: 'gave up connecting',
            fields: { url, ...reasonFields(state.reason) },
          };
  }
}
