import { TAGS } from '@ot-mqtt/tag-model';

/** Tag ranges the plant clamps to, as the PLC's scaling to the HMI would. */
export const R = {
  fill: TAGS.analog.FillLevel.range,
  flow: TAGS.analog.FillFlowRate.range,
  temp: TAGS.analog.TankTemperature.range,
  pressure: TAGS.analog.TankPressure.range,
  speed: TAGS.analog.ConveyorSpeed.range,
  bpm: TAGS.counters.BottlesPerMinute.range,
};

export function clamp(v: number, range: { readonly min: number; readonly max: number }): number {
  return v < range.min ? range.min : v > range.max ? range.max : v;
}

/** Rounds for display the way a PLC's REAL→HMI scaling would: 2 decimals, inside the range. */
export function round2(v: number, range: { readonly min: number; readonly max: number }): number {
  return clamp(Math.round(v * 100) / 100, range);
}
