import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RECONNECT } from './index.js';

const options = { ...DEFAULT_RECONNECT, initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.25 };

describe('backoff delays', () => {
  it('double from the initial delay and stop growing at the maximum (no jitter)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 20].map((retry) =>
      backoffDelay(retry, options, () => 0.5),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('stay within ±jitter of the nominal delay and never exceed the maximum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (retry, r) => {
          const nominal = Math.min(1_000 * 2 ** (retry - 1), 30_000);
          const d = backoffDelay(retry, options, () => r);
          return (
            d >= Math.floor(nominal * 0.75) && d <= Math.min(30_000, Math.ceil(nominal * 1.25))
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('uses the configured multiplier', () => {
    const o = { ...options, multiplier: 3, jitter: 0 };
    expect([1, 2, 3].map((r) => backoffDelay(r, o))).toEqual([1_000, 3_000, 9_000]);
  });
});
