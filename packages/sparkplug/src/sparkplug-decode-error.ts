/**
 * Thrown by {@link decodePayload} when bytes are not a Sparkplug B payload (malformed protobuf, or
 * values this package cannot represent exactly such as an alias above 2^53).
 *
 * @example
 * ```ts
 * import { SparkplugDecodeError, decodePayload } from '@ot-mqtt/sparkplug';
 * try {
 *   decodePayload(new Uint8Array([0xff]));
 * } catch (error) {
 *   if (error instanceof SparkplugDecodeError) console.log(error.message);
 * }
 * ```
 */
export class SparkplugDecodeError extends Error {
  override readonly name = 'SparkplugDecodeError';
}
