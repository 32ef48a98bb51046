import * as P from './line-parameters.js';

/** The capping station: the chute places a cap as a bottle arrives, the head screws it on. */
export class Capper {
  /** A bottle stands at the capper (`BottleAtCap`). */
  bottle = false;
  /** That bottle's fill level when it left the filler. */
  levelPct = 0;
  /** The cap sensor saw a cap on it. */
  capOk = false;
  /** PLC output `CappingMotor`. */
  cmd = false;
  /** Capped, or not to be capped (no cap): the station is finished with this bottle. */
  done = false;
  private elapsedMs = 0;

  /** A bottle arrives; the cap sensor checks the cap before the head runs. */
  receive(levelPct: number, capMissing: boolean): void {
    this.bottle = true;
    this.levelPct = levelPct;
    this.elapsedMs = 0;
    // A bottle without a cap is not capped (and is rejected).
    this.capOk = !capMissing;
    this.done = capMissing;
  }

  /** One scan of the dwell step: the head runs until the cap is on. */
  work(): void {
    if (!this.bottle || this.done) return;
    this.elapsedMs += P.TICK_MS;
    this.cmd = true;
    if (this.elapsedMs >= P.CAP_TIME_MS) {
      this.done = true;
      this.cmd = false;
    }
  }

  /** Whether the bottle now leaving must be rejected: no cap, under- or overfilled. */
  get reject(): boolean {
    return (
      !this.capOk || this.levelPct < P.UNDERFILL_LIMIT_PCT || this.levelPct >= P.OVERFILL_LIMIT_PCT
    );
  }
}
