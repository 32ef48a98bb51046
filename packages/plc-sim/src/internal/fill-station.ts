import type { AlarmLatches } from './alarm-latches.js';
import type { ProductTank } from './product-tank.js';
import * as P from './line-parameters.js';

/** The filling station: the bottle under the nozzle, the fill valve and the flow through it. */
export class FillStation {
  /** A bottle stands at the filler (`BottleAtFill`). */
  bottle = false;
  volumeL = 0;
  /** Time the valve has been commanded open for this bottle (fill timeout). */
  elapsedMs = 0;
  /** Filled, or given up on (timeout): the station is finished with this bottle. */
  done = false;
  /** PLC output `FillValve`. */
  valveCmd = false;
  /** Where the valve really is: a jammed valve stays open when the PLC closes it. */
  valveOpen = false;
  /** Measured flow (`FillFlowRate`). */
  flowLpm = 0;
  /** Where the level probe closes the valve, % (a shift varies it bottle to bottle). */
  targetPct = P.FILL_TARGET_PCT;
  /** A bottle arrived whose fill target the shift has not drawn yet. */
  fresh = false;

  constructor(
    /** This machine's flow at setpoint pressure, drawn from its seed. */
    readonly nominalFlowLpm: number,
    private readonly bottleVolumeL: number,
    /** The fill gives up after this long (scaled with bottle volume / nominal flow of the line). */
    private readonly fillTimeoutMs: number,
  ) {}

  /** `FillLevel` before rounding: 0 with no bottle at the filler. */
  get levelPct(): number {
    return (this.volumeL / this.bottleVolumeL) * 100;
  }

  /** Product flowing into a bottle that is already at its high-level probe. */
  get overflowing(): boolean {
    return this.bottle && this.valveOpen && this.levelPct >= P.OVERFILL_LIMIT_PCT;
  }

  /** A bottle arrives under the nozzle. */
  receive(): void {
    this.bottle = true;
    this.volumeL = 0;
    this.elapsedMs = 0;
    this.done = false;
    this.fresh = true;
  }

  /** The bottle moves on towards the capper. */
  release(): void {
    this.bottle = false;
    this.volumeL = 0;
  }

  /** One scan of the dwell step: keep the valve commanded open until the bottle is done. */
  work(): void {
    if (!this.bottle || this.done) return;
    this.elapsedMs += P.TICK_MS;
    this.valveCmd = true;
  }

  /** A freed valve snaps to what the PLC commands, so a reset right after the repair succeeds. */
  unjam(): void {
    this.unjamIfFree();
  }

  /** A freed valve snaps to what the PLC commands. */
  unjamIfFree(): void {
    if (this.valveOpen && !this.valveCmd) {
      this.valveOpen = false;
      this.flowLpm = 0;
    }
  }

  /**
   * The valve and the product over one tick: driven by tank pressure, throttled by a starved
   * supply, none from an empty tank. `r2`, `r3` are this scan's draws.
   * @returns Litres that left the tank.
   */
  flow(
    tank: ProductTank,
    jammed: boolean,
    starved: boolean,
    alarms: AlarmLatches,
    r2: number,
    r3: number,
  ): number {
    const dt = P.DT_S;
    // The valve follows the PLC output unless jammed, in which case it sticks where it was (open).
    if (this.valveCmd) this.valveOpen = true;
    else if (!jammed) this.valveOpen = false;

    let flow = 0;
    if (this.valveOpen && tank.litres > 0) {
      const drive = Math.sqrt(Math.max(tank.pressurePsi, 0) / P.PRESSURE_SETPOINT_PSI);
      const throttle = starved ? P.STARVED_FLOW_FACTOR : 1;
      flow = this.nominalFlowLpm * drive * throttle * (0.99 + 0.02 * r2);
    }
    let usedL = (flow / 60) * dt;
    if (usedL > tank.litres) usedL = tank.litres;
    if (this.bottle) {
      const targetL = (this.targetPct / 100) * this.bottleVolumeL;
      if (this.valveCmd && this.volumeL + usedL >= targetL) {
        // The level probe closes the valve the moment the target is reached, mid-scan: what runs
        // after that is only the product in the air.
        const inFlightL = (P.MAX_IN_FLIGHT_PCT / 100) * this.bottleVolumeL * r3;
        const beforeL = this.volumeL;
        this.volumeL = targetL + inFlightL;
        this.done = true;
        this.valveCmd = false;
        if (!jammed) {
          this.valveOpen = false;
          usedL = Math.max(this.volumeL - beforeL, 0);
        } else {
          this.volumeL = Math.max(this.volumeL, beforeL + usedL);
        }
      } else {
        this.volumeL += usedL;
        if (this.valveCmd && this.elapsedMs >= this.fillTimeoutMs) {
          this.valveCmd = false;
          this.done = true;
          if (!jammed) this.valveOpen = false;
          if (this.levelPct < P.UNDERFILL_LIMIT_PCT) alarms.latchUnderfill();
        }
      }
      // Anything above the brim runs over the side.
      if (this.volumeL > this.bottleVolumeL) this.volumeL = this.bottleVolumeL;
    }
    this.flowLpm = this.valveOpen ? (usedL * 60) / dt : 0;
    return usedL;
  }
}
