import { describe, expect, it } from 'vitest';
import { TrendBuffer } from './trend-buffer.js';

describe('TrendBuffer', () => {
  it('holds at most its capacity, dropping the oldest', () => {
    const buffer = new TrendBuffer(3);
    for (let t = 1; t <= 5; t += 1) buffer.push(t, t * 10);
    expect(buffer.toArrays()).toEqual([
      [3, 4, 5],
      [30, 40, 50],
    ]);
  });

  it('puts backfilled history before live points, and ignores overlap and bad values', () => {
    const buffer = new TrendBuffer(10);
    buffer.push(100, 1);
    buffer.push(101, 2);
    buffer.prepend([
      [98, 7],
      [99, Number.NaN],
      [100, 9],
      [99.5, 8],
    ]);
    expect(buffer.toArrays()).toEqual([
      [98, 99.5, 100, 101],
      [7, 8, 1, 2],
    ]);
  });

  it('ignores points that are not newer (redeliveries)', () => {
    const buffer = new TrendBuffer(4);
    buffer.push(5, 1);
    buffer.push(5, 2);
    buffer.push(4, 3);
    expect(buffer.length).toBe(1);
  });
});
