import { TAGS, TAG_GROUP_NAMES } from '../tag-metadata.js';
import type { BottleFillerTags } from '../tags.js';

/** Tags to change in {@link exampleTags}: any group, any subset of its tags. */
export type TagOverrides = {
  readonly [G in keyof BottleFillerTags]?: Partial<BottleFillerTags[G]>;
};

/**
 * A consistent mid-fill scan: a bottle at the filler, valve open, conveyor stopped, green light.
 * It is the scan the wire-format documentation shows, so tests and docs use a state the real
 * machine can be in. Returns a fresh object each call: change it freely.
 *
 * @param overrides - Tags to change, by group (e.g. `{ status: { Fault: true } }`).
 * @returns A complete, valid tag set.
 *
 * @example
 * ```ts
 * import { exampleTags } from '@ot-mqtt/tag-model/testing';
 * const faulted = exampleTags({ status: { Fault: true, SystemRunning: false } });
 * ```
 */
export function exampleTags(overrides: TagOverrides = {}): BottleFillerTags {
  const tags: BottleFillerTags = {
    inputs: {
      BottlePresent: true,
      BottleAtFill: true,
      BottleAtCap: false,
      LowLevel: false,
      HighLevel: false,
      CapPresent: true,
    },
    outputs: {
      FillValve: true,
      ConveyorMotor: false,
      CappingMotor: false,
      IndicatorGreen: true,
      IndicatorRed: false,
      IndicatorYellow: false,
    },
    analog: {
      FillLevel: 63.4,
      FillFlowRate: 18.2,
      TankTemperature: 21.7,
      TankPressure: 14.9,
      ConveyorSpeed: 0,
    },
    status: { SystemRunning: true, Filling: true, Ready: true, Fault: false, AutoMode: true },
    counters: { BottlesFilled: 1842, BottlesRejected: 17, BottlesPerMinute: 38 },
    alarms: {
      LowProductLevel: false,
      Overfill: false,
      Underfill: false,
      NoBottle: false,
      CapMissing: false,
    },
  };
  return {
    inputs: { ...tags.inputs, ...overrides.inputs },
    outputs: { ...tags.outputs, ...overrides.outputs },
    analog: { ...tags.analog, ...overrides.analog },
    status: { ...tags.status, ...overrides.status },
    counters: { ...tags.counters, ...overrides.counters },
    alarms: { ...tags.alarms, ...overrides.alarms },
  };
}

/**
 * A valid tag set that varies with `i` (values spread over each tag's engineering range, REALs
 * with decimals, some BOOLs true), so payload sizes match what the agent publishes. For load tests
 * and benchmarks; the values are not a consistent machine state.
 *
 * @param i - Any integer; the same `i` gives the same tags.
 * @returns A complete, valid tag set.
 *
 * @example
 * ```ts
 * import { encodeScan } from '@ot-mqtt/tag-model';
 * import { variedTags } from '@ot-mqtt/tag-model/testing';
 * const messages = encodeScan(variedTags(7), { machineId: 'filler-01', sequence: 7, timestamp: new Date() });
 * ```
 */
export function variedTags(i: number): BottleFillerTags {
  const groups: Record<string, Record<string, boolean | number>> = {};
  for (const group of TAG_GROUP_NAMES) {
    const out: Record<string, boolean | number> = {};
    let k = 0;
    for (const [name, meta] of Object.entries(TAGS[group])) {
      k++;
      const range = 'range' in meta && meta.range ? meta.range : { min: 0, max: 1000 };
      const span = range.max - range.min;
      const frac = ((((i * 7 + k * 13) % 97) + 97) % 97) / 97;
      if (meta.dataType === 'BOOL') out[name] = (i + k) % 3 === 0;
      else if (meta.dataType === 'DINT') out[name] = Math.round(range.min + frac * span);
      else out[name] = Math.round((range.min + frac * span) * 1000 + 0.123) / 1000;
    }
    groups[group] = out;
  }
  return groups as unknown as BottleFillerTags;
}
