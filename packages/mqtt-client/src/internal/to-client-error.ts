import { MqttClientError } from '../mqtt-client-error.js';
import { describeReasonCode } from './reason-codes.js';

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing listens on that host and port)',
  ECONNRESET: 'connection reset by the peer',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while writing',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed temporarily (DNS)',
};

/**
 * Turns whatever mqtt.js or the socket emitted into an {@link MqttClientError} with words. The
 * password is scrubbed from the message in case a transport ever echoes it.
 */
export function toClientError(
  error: unknown,
  context: { url: string; protocolVersion: 4 | 5; password?: string },
): MqttClientError {
  if (error instanceof MqttClientError) return error;
  const e = error as { message?: unknown; code?: unknown };
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  const scrub = (text: string) =>
    context.password ? text.split(context.password).join('***') : text;
  const code = e?.code;
  if (typeof code === 'number') {
    // mqtt.js's ErrorWithReasonCode from a refused CONNACK.
    const words = describeReasonCode(code, context.protocolVersion);
    if (/^Connection refused/i.test(raw)) {
      const kind =
        code === 4 || code === 0x86
          ? 'BAD_CREDENTIALS'
          : code === 5 || code === 0x87
            ? 'NOT_AUTHORIZED'
            : 'CONNACK_REFUSED';
      return new MqttClientError(
        kind,
        `Broker ${context.url} refused the connection: ${words}`,
        code,
      );
    }
    return new MqttClientError('PROTOCOL_ERROR', scrub(`${raw} — ${words}`), code);
  }
  if (typeof code === 'string') {
    const words = NETWORK_WORDS[code];
    const kind =
      code === 'ECONNREFUSED'
        ? 'CONNECTION_REFUSED'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'HOST_NOT_FOUND'
          : /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)
            ? 'TLS_ERROR'
            : 'NETWORK_ERROR';
    return new MqttClientError(
      kind,
      scrub(`Cannot reach ${context.url}: ${words ?? raw} (${code})`),
    );
  }
  if (/connack timeout/i.test(raw))
    return new MqttClientError('CONNECT_TIMEOUT', `No CONNACK from ${context.url} in time`);
  if (/keepalive timeout/i.test(raw))
    return new MqttClientError(
      'KEEPALIVE_TIMEOUT',
      `No answer from ${context.url} within the keep-alive interval (half-open connection?)`,
    );
  if (/protocol error|malformed|invalid/i.test(raw))
    return new MqttClientError('PROTOCOL_ERROR', scrub(`${raw} (${context.url})`));
  return new MqttClientError('NETWORK_ERROR', scrub(`${raw} (${context.url})`));
}
