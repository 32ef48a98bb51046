import type { ReceivedMessage } from '@ot-mqtt/scan-monitor';
import { detectCompression, inflatePayload } from '@ot-mqtt/sparkplug';

/**
 * The message with its payload inflated when the agent sent it compressed (PAYLOAD_COMPRESSION;
 * the bytes say so themselves), up to `maxBytes`. Anything that does not inflate is left as it
 * came, to be shown as the invalid payload it is.
 */
export function inflateReceived(message: ReceivedMessage, maxBytes: number): ReceivedMessage {
  if (detectCompression(message.payload) === 'none') return message;
  try {
    return { ...message, payload: Buffer.from(inflatePayload(message.payload, maxBytes), 'utf8') };
  } catch {
    return message;
  }
}
