import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.js';

describe('percentile (nearest rank)', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('is always an observed sample: p50 of 1..100 is 50, p99 is 99, p100 the maximum', () => {
    expect([0, 50, 90, 99, 100].map((p) => percentile(hundred, p))).toEqual([1, 50, 90, 99, 100]);
  });

  it('rounds the rank up on few samples, so one slow sample of ten is the p99', () => {
    const ten = [1, 1, 1, 1, 1, 1, 1, 1, 1, 250];
    expect(percentile(ten, 90)).toBe(1);
    expect(percentile(ten, 99)).toBe(250);
  });

  it('is NaN without samples rather than a made-up figure', () => {
    expect(percentile([], 99)).toBeNaN();
  });
});
