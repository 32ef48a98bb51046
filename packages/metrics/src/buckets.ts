/**
 * Histogram buckets in seconds. Each set brackets its goal with a bucket edge (100 ms for end-to-end
 * latency, the architecture document's target), so `histogram_quantile` is exact where alerts compare.
 */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
