import { describe, expect, it } from 'vitest';
import { computeOee, oeeByHour, shiftWindow, type OeeSample } from './oee.js';

const T0 = Date.parse('2025-06-02T06:00:00.000Z');
const MIN = 60_000;

/**
 * One hour of scans every second, computed by hand:
 * - 06:00–06:40 running at 48 bottles/min, 06:40–06:50 faulted (stopped), 06:50–07:00 running at
 *   48 bottles/min; 2 of every 40 bottles rejected.
 * - planned 60 min, run 50 min → availability 50/60 = 0.8333…
 * - 50 min × 48/min = 2,400 bottles; ideal 60/min → performance 2400 / (50 × 60) = 0.8
 * - rejected 120 → good 2,280 → quality 2280 / 2400 = 0.95
 * - OEE = 0.8333… × 0.8 × 0.95 = 0.6333…
 */
function hourWithFault(): OeeSample[] {
  const samples: OeeSample[] = [];
  let filled = 10_000; // the counters do not start at 0: only increments count
  let rejected = 500;
  let made = 0;
  for (let s = 0; s <= 3600; s++) {
    const at = T0 + s * 1000;
    const running = s < 40 * 60 || s >= 50 * 60;
    samples.push({ at, running, filled, rejected });
    if (running) {
      // 48 per minute = 0.8 per second, as whole bottles
      const next = Math.floor(((made + 1) * 4) / 5) - Math.floor((made * 4) / 5);
      made++;
      for (let b = 0; b < next; b++) {
        filled++;
        if (filled % 20 === 0) rejected++;
      }
    }
  }
  return samples;
}

describe('OEE', () => {
  it('matches the hand-computed hour with a 10-minute fault', () => {
    const r = computeOee(hourWithFault(), T0, T0 + 60 * MIN, { idealRatePerMinute: 60 });
    expect(r.plannedMs).toBe(60 * MIN);
    expect(r.runMs).toBe(50 * MIN);
    expect(r.total).toBe(2400);
    expect(r.rejected).toBe(120);
    expect(r.good).toBe(2280);
    expect(r.availability).toBeCloseTo(50 / 60, 10);
    expect(r.performance).toBeCloseTo(0.8, 10);
    expect(r.quality).toBeCloseTo(0.95, 10);
    expect(r.oee).toBeCloseTo((50 / 60) * 0.8 * 0.95, 10);
  });

  it('counts a gap without scans as no data, and a counter reset from zero', () => {
    const samples: OeeSample[] = [
      { at: T0, running: true, filled: 100, rejected: 0 },
      { at: T0 + MIN, running: true, filled: 160, rejected: 0 },
      // agent off for an hour, restarted: counters start again
      { at: T0 + 61 * MIN, running: true, filled: 0, rejected: 0 },
      { at: T0 + 62 * MIN, running: false, filled: 30, rejected: 3 },
      { at: T0 + 63 * MIN, running: false, filled: 30, rejected: 3 },
    ];
    const r = computeOee(samples, T0, T0 + 63 * MIN, { idealRatePerMinute: 60 });
    expect(r).toMatchObject({
      plannedMs: 3 * MIN,
      runMs: 2 * MIN,
      total: 60 + 0 + 30,
      rejected: 3,
    });
    expect(r.availability).toBeCloseTo(2 / 3, 10);
  });

  it('clips to the window and gives undefined factors without data', () => {
    const r = computeOee(hourWithFault(), T0 + 45 * MIN, T0 + 50 * MIN, { idealRatePerMinute: 60 });
    expect(r).toMatchObject({ plannedMs: 5 * MIN, runMs: 0, total: 0, availability: 0 });
    expect(r.performance).toBeUndefined();
    expect(r.oee).toBeUndefined();
    expect(computeOee([], T0, T0 + MIN, { idealRatePerMinute: 60 }).availability).toBeUndefined();
    expect(() => computeOee([], T0, T0, { idealRatePerMinute: 60 })).toThrow(RangeError);
    expect(() => computeOee([], T0, T0 + 1, { idealRatePerMinute: 0 })).toThrow(RangeError);
  });

  it('splits a window into clock hours', () => {
    const hours = oeeByHour(hourWithFault(), T0 + 30 * MIN, T0 + 60 * MIN, {
      idealRatePerMinute: 60,
    });
    expect(hours).toHaveLength(1);
    expect(hours[0]).toMatchObject({ from: T0 + 30 * MIN, runMs: 20 * MIN, plannedMs: 30 * MIN });
  });

  it('finds the current shift from a configurable start, length and UTC offset', () => {
    const at = Date.parse('2025-06-02T15:30:00Z');
    expect(shiftWindow(at, { startsAt: '06:00', lengthHours: 8 })).toEqual({
      from: Date.parse('2025-06-02T14:00:00Z'),
      to: Date.parse('2025-06-02T22:00:00Z'),
    });
    expect(shiftWindow(Date.parse('2025-06-02T03:00:00Z'))).toEqual({
      from: Date.parse('2025-06-01T22:00:00Z'),
      to: Date.parse('2025-06-02T06:00:00Z'),
    });
    // 06:00 CEST (UTC+2) is 04:00 UTC; 12-hour shifts
    expect(shiftWindow(at, { startsAt: '06:00', lengthHours: 12, utcOffsetMinutes: 120 })).toEqual({
      from: Date.parse('2025-06-02T04:00:00Z'),
      to: Date.parse('2025-06-02T16:00:00Z'),
    });
    expect(() => shiftWindow(at, { lengthHours: 7 })).toThrow(RangeError);
    expect(() => shiftWindow(at, { startsAt: '6am' })).toThrow(RangeError);
  });
});
