import { R, clamp } from './ranges.js';
import * as P from './line-parameters.js';

/** The product tank: level with batch refill, temperature, blanket-gas pressure. */
export class ProductTank {
  // Initialised as numbers, not left undefined: V8 then keeps these fields as mutable doubles in
  // place instead of allocating a new heap number on every write (measured: the scan allocates less).
  litres = 0;
  tempC = 0;
  pressurePsi = 0;
  /** The batch refill is asked for (below 35 % until 90 %). */
  refilling = false;
  /** A late supply: the refill is asked for but does not come. */
  supplyHeld = false;
  /** Day cycle of the room, added to its ambient temperature. */
  ambientOffsetC = 0;
  /** Blanket pressure lost to pump wear. */
  wearPsi = 0;

  constructor(
    /** The room the tank warms towards. */
    private readonly ambientC: number,
    /** Temperature of the product that refills the tank. */
    private readonly supplyC: number,
    litres: number,
    tempC: number,
    private readonly capacityL: number,
    private readonly refillLpm: number,
  ) {
    this.litres = litres;
    this.tempC = tempC;
  }

  get levelPct(): number {
    return (this.litres / this.capacityL) * 100;
  }

  /** Where the pressure settles for this temperature, level and flow through the valve. */
  pressureTarget(flowLpm: number, nominalFlowLpm: number): number {
    return (
      (P.PRESSURE_SETPOINT_PSI * (this.tempC + 273.15)) / (P.PRESSURE_REFERENCE_C + 273.15) -
      this.wearPsi +
      P.PRESSURE_PER_LEVEL_PCT * (this.levelPct - 60) -
      (P.PRESSURE_DRAW_PSI * flowLpm) / nominalFlowLpm
    );
  }

  /**
   * One tick: `usedL` left through the valve; batch refill with hysteresis, or drain when the
   * supply is lost; temperature and pressure follow. `r2`, `r4` are this scan's draws.
   */
  update(
    usedL: number,
    supplyLost: boolean,
    flowLpm: number,
    nominalFlowLpm: number,
    r2: number,
    r4: number,
  ): void {
    const dt = P.DT_S;
    this.litres -= usedL;
    const levelPct = this.levelPct;
    let refillL = 0;
    if (supplyLost) {
      this.refilling = false;
      this.litres -= (P.DRAIN_LPM / 60) * dt;
    } else {
      if (levelPct < P.REFILL_START_PCT) this.refilling = true;
      else if (levelPct >= P.REFILL_STOP_PCT) this.refilling = false;
      if (this.refilling && !this.supplyHeld) refillL = (this.refillLpm / 60) * dt;
    }
    if (this.litres < 0) this.litres = 0;
    const before = this.litres;
    this.litres = Math.min(this.litres + refillL, this.capacityL);

    // Temperature: cool supply mixes in during refills, the tank warms towards ambient, plus a
    // small mean-reverting wander.
    if (refillL > 0) {
      this.tempC += (refillL / Math.max(before + refillL, 1)) * (this.supplyC - this.tempC);
    }
    this.tempC +=
      ((this.ambientC + this.ambientOffsetC - this.tempC) * dt) / P.AMBIENT_TAU_S +
      (r4 - 0.5) * 0.01;
    this.tempC = clamp(this.tempC, R.temp);

    // Pressure: regulated blanket gas, warmer and fuller reads higher, flow draws it down.
    this.pressurePsi +=
      ((this.pressureTarget(flowLpm, nominalFlowLpm) - this.pressurePsi) * dt) / P.PRESSURE_TAU_S +
      (r2 - 0.5) * 0.04;
    this.pressurePsi = clamp(this.pressurePsi, R.pressure);
  }
}
