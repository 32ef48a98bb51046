import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';

/** How a JSON payload is compressed (`PAYLOAD_COMPRESSION`); `none` is plain UTF-8 JSON. */
export type PayloadCompression = 'none' | 'deflate' | 'gzip';

/** The compressions a sender may choose. */
export const PAYLOAD_COMPRESSIONS = ['none', 'deflate', 'gzip'] as const;

/**
 * MQTT 5 content types of the compressed forms (IANA-registered media types): a v5 subscriber can
 * tell them apart without looking at the bytes. MQTT 3.1.1 has no content type, and the bytes mark
 * themselves instead — see {@link detectCompression}.
 */
export const COMPRESSED_CONTENT_TYPES = {
  deflate: 'application/zlib',
  gzip: 'application/gzip',
} as const;

/**
 * Compresses a JSON payload: `deflate` is the zlib stream of RFC 1950 (HTTP's `deflate`), `gzip`
 * RFC 1952. `none` returns the UTF-8 bytes.
 *
 * @example
 * ```ts
 * import { compressPayload } from '@ot-mqtt/sparkplug';
 * const bytes = compressPayload('{"schemaVersion":1}', 'deflate'); // starts 0x78
 * ```
 */
export function compressPayload(json: string, compression: PayloadCompression): Uint8Array {
  switch (compression) {
    case 'deflate':
      return deflateSync(json);
    case 'gzip':
      return gzipSync(json);
    default:
      return Buffer.from(json, 'utf8');
  }
}

/**
 * Which compression a payload carries, from its first bytes: a zlib header (CMF 0x78 and a FLG that
 * makes CMF·256+FLG a multiple of 31, RFC 1950 §2.2) or the gzip magic 0x1f 0x8b (RFC 1952 §2.3.1).
 * No JSON text can start with either (JSON starts with whitespace, `{`, `[`, `"`, a digit, `-`, `t`,
 * `f` or `n`), so plain and compressed payloads share the topics without ambiguity.
 *
 * @example
 * ```ts
 * import { detectCompression } from '@ot-mqtt/sparkplug';
 * detectCompression(new TextEncoder().encode('{"a":1}')); // 'none'
 * ```
 */
export function detectCompression(payload: Uint8Array): PayloadCompression {
  const [b0, b1] = payload;
  if (b0 === 0x1f && b1 === 0x8b) return 'gzip';
  if (b0 === 0x78 && b1 !== undefined && (b0 * 256 + b1) % 31 === 0) return 'deflate';
  return 'none';
}

/** Largest inflated payload accepted: a zip bomb must not take the subscriber's memory. */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/**
 * The JSON text of a payload, inflated when {@link detectCompression} finds it compressed. Inflating
 * stops at `maxBytes` (default {@link MAX_INFLATED_BYTES}).
 *
 * @throws RangeError beyond `maxBytes`; zlib's Error on a corrupt stream.
 *
 * @example
 * ```ts
 * import { compressPayload, inflatePayload } from '@ot-mqtt/sparkplug';
 * inflatePayload(compressPayload('{"a":1}', 'gzip')); // '{"a":1}'
 * ```
 */
export function inflatePayload(payload: Uint8Array, maxBytes = MAX_INFLATED_BYTES): string {
  const compression = detectCompression(payload);
  if (compression === 'none')
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  const options = { maxOutputLength: maxBytes };
  try {
    return (
      compression === 'gzip' ? gunzipSync(payload, options) : inflateSync(payload, options)
    ).toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new RangeError(`inflated payload exceeds ${maxBytes} bytes`);
    throw error;
  }
}
