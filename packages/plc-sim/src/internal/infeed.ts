import type { SeededRandom } from './seeded-random.js';
import * as P from './line-parameters.js';

/** Upstream: bottles arrive at the infeed photoeye at seeded gaps; one can queue there. */
export class Infeed {
  /** A bottle stands at the photoeye (`BottlePresent`). */
  bottle = false;
  private nextArrivalMs = 0;

  constructor(private readonly random: SeededRandom) {
    this.nextArrivalMs = this.gapMs();
  }

  /** One scan of upstream: the next bottle comes unless one is already waiting or none come. */
  arrive(starved: boolean): void {
    if (this.bottle || starved) return;
    this.nextArrivalMs -= P.TICK_MS;
    if (this.nextArrivalMs <= 0) {
      this.bottle = true;
      this.nextArrivalMs = this.gapMs();
    }
  }

  private gapMs(): number {
    return P.MIN_BOTTLE_GAP_MS + (P.MAX_BOTTLE_GAP_MS - P.MIN_BOTTLE_GAP_MS) * this.random.next();
  }
}
