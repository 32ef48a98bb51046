import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS } from './buckets.js';
import { valueOf } from './metric-values.test-helper.js';
import { unlabelledHistogram } from './unlabelled-histogram.js';

// Values on and between the bucket edges, below the first and above the last.
const VALUES = [0, 0.0004, 0.001, 0.0011, 0.003, 0.1, 0.1000001, 0.7, 2.5, 9.99, 10, 12, 1e6];

describe('unlabelled histogram', () => {
  it('exports the same text as prom-client’s Histogram fed the same values', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = unlabelledHistogram([ours], 'x_seconds', 'Some latency', LATENCY_BUCKETS);
    const reference = new Histogram({
      name: 'x_seconds',
      help: 'Some latency',
      buckets: [...LATENCY_BUCKETS],
      registers: [theirs],
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    for (const v of VALUES) {
      fast.observe(v);
      reference.observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(
      (await theirs.getMetricsAsJSON()).map((m) => ({
        ...m,
        // prom-client adds an exemplar field (null) to its bucket series only.
        values: m.values.map((v) => {
          const { exemplar: _, ...rest } = v as typeof v & { exemplar?: unknown };
          return rest;
        }),
      })),
    );
  });

  it('counts a value on a bucket edge in that bucket, and resets with the registry', async () => {
    const registry = new Registry();
    const h = unlabelledHistogram([registry], 'y_seconds', 'Another', [0.1, 1]);
    h.observe(0.1);
    h.observe(0.5);
    expect(await valueOf(registry, 'y_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(await valueOf(registry, 'y_seconds_bucket', { le: '1' })).toBe(2);
    expect(await valueOf(registry, 'y_seconds_sum')).toBeCloseTo(0.6);
    registry.resetMetrics();
    expect(await valueOf(registry, 'y_seconds_count')).toBe(0);
  });

  it('refuses a value that is not a finite number, as prom-client does', () => {
    const h = unlabelledHistogram([new Registry()], 'z_seconds', 'Third', LATENCY_BUCKETS);
    expect(() => h.observe(Number.NaN)).toThrow(TypeError);
    expect(() => h.observe(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});
