// Causes of the line fault (status.Fault), as bits.
export const TRIP_OVERFILL = 1;
export const TRIP_TANK_EMPTY = 2;
export const TRIP_REJECTS = 4;

// Latched (event) alarms, as bits. LowProductLevel and NoBottle follow their condition instead.
const A_OVERFILL = 1;
const A_UNDERFILL = 2;
const A_CAP_MISSING = 4;

/**
 * What the PLC's alarm handler remembers: the causes of a line fault (trips), the event alarms that
 * latch until reset, and the run of rejected bottles that trips the line.
 */
export class AlarmLatches {
  /** Causes of the line fault, as `TRIP_*` bits; 0 when not faulted. */
  trips = 0;
  private latched = 0;
  private consecutiveRejects = 0;

  constructor(private readonly maxConsecutiveRejects: number) {}

  get overfill(): boolean {
    return (this.latched & A_OVERFILL) !== 0;
  }
  get underfill(): boolean {
    return (this.latched & A_UNDERFILL) !== 0;
  }
  get capMissing(): boolean {
    return (this.latched & A_CAP_MISSING) !== 0;
  }
  /** Any event alarm latched. */
  get any(): boolean {
    return this.latched !== 0;
  }

  latchOverfill(): void {
    this.latched |= A_OVERFILL;
  }
  latchUnderfill(): void {
    this.latched |= A_UNDERFILL;
  }
  latchCapMissing(): void {
    this.latched |= A_CAP_MISSING;
  }

  /**
   * Counts a bottle leaving the capper.
   * @returns Whether this reject completed a run that must trip the line.
   */
  countBottle(reject: boolean): boolean {
    if (!reject) {
      this.consecutiveRejects = 0;
      return false;
    }
    this.consecutiveRejects++;
    return this.consecutiveRejects >= this.maxConsecutiveRejects;
  }

  /** The trips a reset would leave: the causes that are still there. */
  remainingTrips(stillOverflowing: boolean, tankLevelPct: number, emptyResetPct: number): number {
    let trips = this.trips & ~TRIP_REJECTS;
    if (!stillOverflowing) trips &= ~TRIP_OVERFILL;
    if (tankLevelPct >= emptyResetPct) trips &= ~TRIP_TANK_EMPTY;
    return trips;
  }

  /**
   * The reset button. Event alarms describe a bottle that has already been dealt with: acknowledge
   * and clear — except an overfill whose product is still running; a tank-empty trip clears only
   * once the tank is refilled enough to fill.
   */
  reset(stillOverflowing: boolean, tankLevelPct: number, emptyResetPct: number): void {
    this.latched &= A_OVERFILL;
    if (!stillOverflowing) {
      this.latched = 0;
      this.trips &= ~TRIP_OVERFILL;
    }
    if (tankLevelPct >= emptyResetPct) this.trips &= ~TRIP_TANK_EMPTY;
    this.trips &= ~TRIP_REJECTS;
    this.consecutiveRejects = 0;
  }
}
