import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import type { ScanRecord } from './historian-store.js';

/** A plausible mid-fill tag set; `patch` overrides single tags by name, in whichever group they live. */
export function tagsWith(patch: Record<string, number | boolean> = {}): BottleFillerTags {
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
      FillLevel: 50,
      FillFlowRate: 18.2,
      TankTemperature: 21.7,
      TankPressure: 14.9,
      ConveyorSpeed: 0,
    },
    status: { SystemRunning: true, Filling: true, Ready: true, Fault: false, AutoMode: true },
    counters: { BottlesFilled: 100, BottlesRejected: 2, BottlesPerMinute: 38 },
    alarms: {
      LowProductLevel: false,
      Overfill: false,
      Underfill: false,
      NoBottle: false,
      CapMissing: false,
    },
  };
  for (const [name, value] of Object.entries(patch)) {
    const group = Object.values(tags).find((g: Record<string, unknown>) => name in g) as
      Record<string, unknown> | undefined;
    if (!group) throw new Error(`no tag ${name}`);
    group[name] = value;
  }
  return tags;
}

/** 2026-11-30T00:00:00.000Z: tests use fixed times (UTC). */
export const T0 = Date.parse('2026-11-30T00:00:00.000Z');

/** One scan of `machineId` with sequence `sequence` at `T0 + sequence × 2 s` unless `ts` is given. */
export function scan(
  machineId: string,
  sequence: number,
  patch: Record<string, number | boolean> = {},
  ts = T0 + sequence * 2_000,
): ScanRecord {
  return { machineId, sequence, timestamp: new Date(ts).toISOString(), tags: tagsWith(patch) };
}
