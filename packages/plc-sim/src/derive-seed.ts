/**
 * Derives the seed of one machine of a fleet from a fleet-wide seed and the machine's id, so that
 * `createBottleFiller({ seed, machineId })` gives every machine its own, reproducible behaviour:
 * the same `(seed, machineId)` always gives the same 32-bit result, and different machine ids give
 * unrelated ones (FNV-1a over the UTF-16 code units of the id, mixed with the seed by the murmur3
 * finaliser).
 *
 * @param seed - Fleet-wide seed; any finite number (only its integer part modulo 2³² is used).
 * @param machineId - Machine identifier, e.g. `filler-0042`.
 * @returns An unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * import { deriveSeed } from '@ot-mqtt/plc-sim';
 * const a = deriveSeed(42, 'filler-01');
 * const b = deriveSeed(42, 'filler-02'); // a !== b, and both are the same on every run
 * ```
 */
export function deriveSeed(seed: number, machineId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < machineId.length; i++) {
    h = Math.imul(h ^ machineId.charCodeAt(i), 0x01000193);
  }
  h ^= Math.imul((Math.trunc(seed) | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
