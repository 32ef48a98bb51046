/** `seq` and `bdSeq` count modulo 256 (Sparkplug 3.0 §6.4.5, §6.4.25). */
export const SEQ_MODULUS = 256;

/**
 * The next `seq` or `bdSeq`: +1, 255 wraps to 0.
 *
 * @example
 * ```ts
 * import { nextSeq } from '@ot-mqtt/sparkplug';
 * nextSeq(41); // 42
 * nextSeq(255); // 0
 * ```
 */
export function nextSeq(seq: number): number {
  return (seq + 1) % SEQ_MODULUS;
}
