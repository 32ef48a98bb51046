import { describe, expect, it } from 'vitest';
import { deriveSeed } from './derive-seed.js';
import { SeededRandom } from './internal/seeded-random.js';

describe('deriveSeed', () => {
  it('is stable: the same fleet seed and machine id always give the same 32-bit seed', () => {
    expect(deriveSeed(42, 'filler-01')).toBe(deriveSeed(42, 'filler-01'));
    const s = deriveSeed(42, 'filler-01');
    expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('spreads a fleet of 10,000 machine ids over distinct seeds, and changes with the fleet seed', () => {
    const seeds = new Set<number>();
    for (let i = 0; i < 10_000; i++)
      seeds.add(deriveSeed(1, `filler-${String(i).padStart(5, '0')}`));
    expect(seeds.size).toBeGreaterThanOrEqual(9_990);
    expect(deriveSeed(1, 'filler-01')).not.toBe(deriveSeed(2, 'filler-01'));
  });
});

describe('PRNG', () => {
  it('draws uniformly in [0, 1) and reproducibly from one 32-bit state', () => {
    const random = new SeededRandom(123);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = random.next();
      if (!(v >= 0 && v < 1)) outside++;
      else buckets[Math.floor(v * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(new SeededRandom(123).next()).toBe(new SeededRandom(123).next());
  });
});
