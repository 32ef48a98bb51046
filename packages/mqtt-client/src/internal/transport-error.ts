/**
 * What mqtt.js hands a publish callback when the connection, not the broker, ended the publish: it
 * fails what it held as the client or its socket goes down ('Connection closed' from `_flush` and
 * its store queue, 'client disconnecting' once `end()` began, 'Message removed' for what
 * `removeOutgoingMessage` withdrew — our `reconnect()` does that —, 'No connection to broker').
 */
const TEARDOWN =
  /^(connection closed|client disconnecting|message removed|no connection to broker)$/i;

/**
 * Whether a failed publish failed on the transport — a socket error (`code` a string such as
 * `EPIPE` or `ECONNRESET`) or mqtt.js failing what it held as the connection went down — rather
 * than by a refusal: the broker's negative PUBACK (a numeric reason code) or a local one (say, an
 * unregistered topic alias). A QoS 1 message that failed on the transport was never refused: it
 * stays ours, and the lost connection puts it back to be written again (at least once).
 */
export function isTransportError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return false;
  return typeof code === 'string' || TEARDOWN.test(error.message);
}
