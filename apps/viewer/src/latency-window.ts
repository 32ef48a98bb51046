/** Percentiles of the last `size` latency samples. */
export interface LatencyWindow {
  /** Adds one sample in milliseconds; the oldest falls out once the window is full. */
  add(ms: number): void;
  /** Samples currently in the window. */
  readonly count: number;
  /**
   * Nearest-rank percentile (`p` from 0 to 100) of the samples in the window, or `undefined` when
   * the window is empty.
   */
  percentile(p: number): number | undefined;
}

/**
 * A fixed-size ring of latency samples. Adding is O(1) and allocation-free (it runs once per
 * message); percentiles sort a copy, which is cheap at the rate statistics are printed.
 *
 * @example
 * ```ts
 * const w = createLatencyWindow(1000);
 * w.add(3); w.add(5);
 * w.percentile(50); // 3
 * ```
 */
export function createLatencyWindow(size = 1000): LatencyWindow {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be ≥ 1, got ${size}`);
  const ring = new Float64Array(size);
  let next = 0;
  let count = 0;
  return {
    add(ms) {
      ring[next] = ms;
      next = (next + 1) % size;
      if (count < size) count++;
    },
    get count() {
      return count;
    },
    percentile(p) {
      if (count === 0) return undefined;
      const sorted = ring.slice(0, count).sort();
      const rank = Math.min(count, Math.max(1, Math.ceil((p / 100) * count)));
      return sorted[rank - 1];
    },
  };
}
