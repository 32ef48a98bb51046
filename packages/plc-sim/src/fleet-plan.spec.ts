import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fleetMachineId, parseShard, shardRange } from './fleet-plan.js';

describe('fleet plan', () => {
  it('numbers machine ids with at least four digits, more for larger fleets', () => {
    expect(fleetMachineId('filler', 1, 3)).toBe('filler-0001');
    expect(fleetMachineId('line2', 42, 10_000)).toBe('line2-00042');
  });

  it('n shards cover machines 1..N exactly once, in contiguous slices differing by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 64 }), (n, k) => {
        fc.pre(k <= n);
        let expected = 1;
        const sizes: number[] = [];
        for (let index = 0; index < k; index++) {
          const { first, last } = shardRange(n, { index, count: k });
          expect(first).toBe(expected);
          sizes.push(last - first + 1);
          expected = last + 1;
        }
        expect(expected).toBe(n + 1);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('parses i/n and refuses anything else', () => {
    expect(parseShard('1/2')).toEqual({ index: 1, count: 2 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    for (const bad of ['2/2', '1', '-1/2', '1/0', 'a/b', '1/2/3', '0.5/2'])
      expect(parseShard(bad), bad).toBeUndefined();
  });
});
