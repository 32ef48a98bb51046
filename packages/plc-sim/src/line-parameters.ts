/**
 * The filler's size and speed. The defaults describe a small single-head inline filler for still
 * beverages: 0.5 L PET bottles (the commonest retail size), a gravity/pressure valve of ~12 L/min
 * (≈ 0.2 L/s, typical of a single filling head for still products), a 120 RPM conveyor drive
 * (0.2 m/s, the usual speed of a bottle conveyor), a 200 L buffer tank refilled at 25 L/min in
 * batches. Together they give ~15 bottles a minute. Every machine of a fleet varies flow and
 * conveyor speed by ±5 % around these, drawn from its seed.
 */
export interface LineParameters {
  /** Bottle volume, litres (> 0). The fill timeout scales with volume / flow. */
  readonly bottleVolumeL: number;
  /** Flow through the open valve at setpoint pressure, L/min (> 0). */
  readonly nominalFlowLpm: number;
  /** Conveyor drive setpoint, RPM (> 0); 0.1 m per revolution, 0.25 m between stations. */
  readonly conveyorSpeedRpm: number;
  /** Product tank capacity, litres (> 0). */
  readonly tankCapacityL: number;
  /** Refill flow into the tank, L/min (> 0); it should exceed what the filler draws. */
  readonly refillLpm: number;
}

/** The defaults of {@link LineParameters}; see there where they come from. */
export const DEFAULT_LINE_PARAMETERS: LineParameters = {
  bottleVolumeL: 0.5,
  nominalFlowLpm: 12,
  conveyorSpeedRpm: 120,
  tankCapacityL: 200,
  refillLpm: 25,
};
