/**
 * Nearest-rank percentile of samples sorted ascending: the smallest sample that at least `p` % of
 * the samples are less than or equal to (`p` from 0 to 100; 0 gives the minimum, 100 the maximum).
 * `NaN` when there are no samples.
 *
 * The one rule behind every p50/p99 in ot-mqtt — the viewer's and dashboard's latency window and
 * every benchmark — so a figure from a bench and one from a running monitor mean the same. No
 * interpolation: the result is always a sample that was observed.
 *
 * @param sorted - Samples in ascending order (a `Float64Array` sorts numerically by default).
 * @param p - Percentile from 0 to 100.
 *
 * @example
 * ```ts
 * import { percentile } from '@ot-mqtt/scan-monitor';
 * const sorted = Float64Array.from([12, 3, 5, 8]).sort();
 * percentile(sorted, 50); // 5
 * percentile(sorted, 99); // 12
 * ```
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1] ?? Number.NaN;
}
