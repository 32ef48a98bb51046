import { R, clamp } from './ranges.js';

/** BottlesFilled, BottlesRejected and the rolling BottlesPerMinute (sixty one-second buckets). */
export class ProductionCounters {
  filled = 0;
  rejected = 0;
  private readonly perSecond = new Uint8Array(60);
  private bucketSecond = 0;
  private minuteTotal = 0;

  /** `BottlesPerMinute`: bottles that left in this second of simulated time and the 59 before. */
  get perMinute(): number {
    return clamp(this.minuteTotal, R.bpm);
  }

  /** Moves the one-minute window to `nowMs` of simulated time. */
  roll(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    while (this.bucketSecond < second) {
      this.bucketSecond++;
      const i = this.bucketSecond % 60;
      this.minuteTotal -= this.perSecond[i]!;
      this.perSecond[i] = 0;
    }
  }

  /** A bottle left the capper. */
  count(reject: boolean): void {
    if (reject) this.rejected++;
    else this.filled++;
    const i = this.bucketSecond % 60;
    if (this.perSecond[i]! < 255) {
      this.perSecond[i]!++;
      this.minuteTotal++;
    }
  }
}
