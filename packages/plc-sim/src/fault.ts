import { FAULT_NAMES } from '@ot-mqtt/tag-model';

/**
 * Every fault a test or a demo can inject into a simulated filler with
 * {@link BottleFiller.inject}. Each is a physical condition of the machine that stays until it is
 * cleared with {@link BottleFiller.clearFaults} (maintenance); the alarms it causes are then
 * reset with {@link BottleFiller.reset} (the operator's reset button).
 *
 * - `emptyTank` — product supply lost and the tank drains: `LowLevel`, `LowProductLevel`, then a
 *   tank-empty fault when the level falls below 5 %.
 * - `missCap` — cap chute empty: every capped bottle lacks its cap (`CapPresent` false,
 *   `CapMissing`), bottles are rejected; three rejects in a row fault the line.
 * - `jamValve` — the fill valve sticks open when the PLC closes it: product keeps flowing, the
 *   bottle overfills (`Overfill`) and the line faults.
 * - `starveValve` — product supply to the valve throttled: the fill times out below target
 *   (`Underfill`), the bottle is rejected.
 * - `noBottles` — bottles stop arriving at the infeed: after 5 s of waiting, `NoBottle`.
 *
 * The same list as `FAULT_NAMES` of `@ot-mqtt/tag-model`, which the `inject-fault` command uses.
 */
export const FAULTS = FAULT_NAMES;

/** One injectable fault; see {@link FAULTS}. */
export type Fault = (typeof FAULTS)[number];
