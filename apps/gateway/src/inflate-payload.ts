import { detectCompression, inflatePayload, MAX_INFLATED_BYTES } from '@ot-mqtt/sparkplug';

/**
 * A payload as JSON text when an agent sent it compressed (PAYLOAD_COMPRESSION: deflate or gzip,
 * marked by the bytes themselves), else unchanged. A stream that does not inflate (corrupt, or over
 * the 16 MiB bound) is passed on as it is and rejected by the tag model like any bad payload.
 */
export function inflateIfCompressed(payload: string | Uint8Array): string | Uint8Array {
  if (typeof payload === 'string' || detectCompression(payload) === 'none') return payload;
  try {
    return inflatePayload(payload, MAX_INFLATED_BYTES);
  } catch {
    return payload;
  }
}
