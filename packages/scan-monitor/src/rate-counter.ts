/** Messages per second over a sliding window of whole seconds. */
export interface RateCounter {
  /** Counts one message received at `now` (epoch ms). */
  add(now: number): void;
  /** Messages per second over the window's whole seconds before `now`; 0 before one full second. */
  rate(now: number): number;
}

/**
 * A per-second ring of counts. Only whole seconds count: the current, partial second would read low.
 *
 * @param windowSeconds - Width of the window (default 10).
 *
 * @example
 * ```ts
 * import { createRateCounter } from '@ot-mqtt/scan-monitor';
 * const rate = createRateCounter(10);
 * rate.add(0);
 * rate.add(500);
 * rate.rate(1000); // 2
 * ```
 */
export function createRateCounter(windowSeconds = 10): RateCounter {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1)
    throw new RangeError(`windowSeconds must be ≥ 1, got ${windowSeconds}`);
  const counts = new Float64Array(windowSeconds + 1);
  const seconds = new Float64Array(windowSeconds + 1).fill(-1);
  let firstSecond: number | undefined;
  return {
    add(now) {
      const second = Math.floor(now / 1000);
      firstSecond ??= second;
      const i = second % counts.length;
      if (seconds[i] !== second) {
        seconds[i] = second;
        counts[i] = 0;
      }
      counts[i]!++;
    },
    rate(now) {
      if (firstSecond === undefined) return 0;
      const current = Math.floor(now / 1000);
      const span = Math.min(windowSeconds, current - firstSecond);
      if (span <= 0) return 0;
      let sum = 0;
      for (let i = 0; i < counts.length; i++) {
        const second = seconds[i]!;
        if (second >= current - span && second < current) sum += counts[i]!;
      }
      return sum / span;
    },
  };
}
