import { percentile } from './percentile.js';

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

// A machine seen once costs this, not `size` samples: a flood of one-message machines stays small.
const INITIAL_CAPACITY = 8;

/**
 * A ring of the last `size` latency samples. Adding is O(1) and allocation-free once the ring has
 * grown to its size (it runs once per message); the ring starts small and doubles, so a machine that
 * sent a handful of messages holds a handful of samples. Percentiles sort a copy, which is cheap at
 * the rate statistics are read.
 *
 * @param size - Samples kept (default 1000).
 * @throws RangeError when `size` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { createLatencyWindow } from '@ot-mqtt/scan-monitor';
 * const w = createLatencyWindow(1000);
 * w.add(3);
 * w.add(5);
 * w.percentile(50); // 3
 * ```
 */
export function createLatencyWindow(size = 1000): LatencyWindow {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be ≥ 1, got ${size}`);
  let ring = new Float64Array(Math.min(size, INITIAL_CAPACITY));
  let next = 0;
  let count = 0;
  return {
    add(ms) {
      if (count === ring.length && ring.length < size) {
        // Still growing: the ring is full and in order (next === 0), so a copy keeps the order.
        const grown = new Float64Array(Math.min(size, ring.length * 2));
        grown.set(ring);
        next = ring.length;
        ring = grown;
      }
      ring[next] = ms;
      next = (next + 1) % ring.length;
      if (count < ring.length) count++;
    },
    get count() {
      return count;
    },
    percentile(p) {
      return count === 0 ? undefined : percentile(ring.slice(0, count).sort(), p);
    },
  };
}
