/** Which slice of a fleet one agent process simulates: shard `index` of `count` (0-based). */
export interface Shard {
  /** This agent's shard, 0 ≤ index < count. */
  readonly index: number;
  /** How many agents share the fleet. */
  readonly count: number;
}

/** Default prefix of numbered machine ids when MACHINE_ID is not set (`filler-0001`, …). */
export const DEFAULT_FLEET_PREFIX = 'filler';

/**
 * Digits of the machine number: at least four, so ids sort in machine order in every tool that sorts
 * topics as text (a broker's `$SYS` view, a historian's tag browser) up to fleets of 9,999.
 */
export const machineNumberWidth = (fleetSize: number): number =>
  Math.max(4, String(fleetSize).length);

/**
 * The id of machine `n` (1-based) of a fleet of `fleetSize`: `<prefix>-<n, zero-padded>`.
 *
 * @example
 * ```ts
 * import { fleetMachineId } from '@ot-mqtt/plc-sim';
 *
 * fleetMachineId('filler', 42, 10_000); // 'filler-00042'
 * ```
 */
export const fleetMachineId = (prefix: string, n: number, fleetSize: number): string =>
  `${prefix}-${String(n).padStart(machineNumberWidth(fleetSize), '0')}`;

/**
 * The machine numbers (1-based, inclusive) shard `index` of `count` simulates: contiguous slices
 * whose sizes differ by at most one, so `count` agents together cover 1..fleetSize exactly once
 * and each agent's range is easy to read from its log.
 *
 * @example
 * ```ts
 * import { shardRange } from '@ot-mqtt/plc-sim';
 *
 * shardRange(10, { index: 1, count: 3 }); // { first: 4, last: 6 }
 * ```
 */
export function shardRange(fleetSize: number, shard: Shard): { first: number; last: number } {
  return {
    first: Math.floor((shard.index * fleetSize) / shard.count) + 1,
    last: Math.floor(((shard.index + 1) * fleetSize) / shard.count),
  };
}

/** Parses `i/n` (e.g. `0/2`); `undefined` when it is not two whole numbers with 0 ≤ i < n. */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && index < count ? { index, count } : undefined;
}
