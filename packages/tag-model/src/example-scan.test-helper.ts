import type { BottleFillerTags } from './tags.js';

/**
 * A consistent mid-fill scan: a bottle at the filler, valve open, conveyor stopped, green light.
 * Used by tests and by the script that writes the wire-format examples, so the docs show a state
 * the real machine can be in.
 */
export function exampleTags(): BottleFillerTags {
  return {
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
}

/** Envelope of the documented example scan. */
export const EXAMPLE_META = {
  machineId: 'filler-01',
  sequence: 1843,
  timestamp: '2025-06-02T08:30:00.250Z',
} as const;
