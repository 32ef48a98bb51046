import { describe, expect, it } from 'vitest';
import { createLatencyWindow } from './latency-window.js';

describe('latency window', () => {
  it('has no percentiles before the first sample', () => {
    expect(createLatencyWindow(10).percentile(50)).toBeUndefined();
  });

  it('gives nearest-rank percentiles of the samples', () => {
    const w = createLatencyWindow(100);
    for (let ms = 1; ms <= 100; ms++) w.add(ms);
    expect(w.percentile(50)).toBe(50);
    expect(w.percentile(99)).toBe(99);
    expect(w.percentile(100)).toBe(100);
    expect(w.percentile(0)).toBe(1);
  });

  it('forgets the oldest samples once full', () => {
    const w = createLatencyWindow(3);
    for (const ms of [1000, 1, 2, 3]) w.add(ms);
    expect(w.count).toBe(3);
    expect(w.percentile(100)).toBe(3);
  });
});
