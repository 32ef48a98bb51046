import { describe, expect, it } from 'vitest';
import type { FleetClock, WallClockStep } from './fleet-clock.js';
import { startFleetScheduler, type FleetTick } from './fleet-scheduler.js';
import { virtualFleetClock } from './virtual-fleet-clock.test-helper.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A scheduler of `count` machines that only counts the scans it makes due. */
function countScans(clock: FleetClock, count: number, intervalMs: number) {
  let n = 0;
  const scheduler = startFleetScheduler({ count, intervalMs, clock, onDue: () => n++ });
  return { scheduler, scans: () => n };
}

describe('fleet scheduler', () => {
  it('spreads the machines evenly over the interval and scans each once per interval', () => {
    const { clock, advance } = virtualFleetClock();
    const seen: { index: number; at: number }[] = [];
    const start = clock.monotonic();
    startFleetScheduler({
      count: 4,
      intervalMs: 2000,
      clock,
      onDue: (index, tick) => seen.push({ index, at: tick.monotonicMs - start }),
    });
    advance(3999);
    expect(seen).toEqual([
      { index: 0, at: 0 },
      { index: 1, at: 500 },
      { index: 2, at: 1000 },
      { index: 3, at: 1500 },
      { index: 0, at: 2000 },
      { index: 1, at: 2500 },
      { index: 2, at: 3000 },
      { index: 3, at: 3500 },
    ]);
  });

  it('uses one timer for the whole fleet, whatever its size', () => {
    const { clock, advance, pending } = virtualFleetClock();
    const { scheduler, scans } = countScans(clock, 1000, 2000);
    advance(2000 * 3 - 1);
    expect(scans()).toBe(3000);
    expect(pending()).toBe(1);
    scheduler.stop();
    expect(pending()).toBe(0);
  });

  it('after a stall catches up scan by scan (no sequence gap), at most one round per wake', () => {
    const { clock, fireNext, stall } = virtualFleetClock();
    const scanned: number[] = [];
    const scheduler = startFleetScheduler({
      count: 3,
      intervalMs: 300,
      clock,
      onDue: (index) => scanned.push(index),
    });
    fireNext();
    expect(scanned).toEqual([0]);
    stall(1000); // the event loop was blocked for a second
    const perWake: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = scanned.length;
      fireNext();
      perWake.push(scanned.length - before);
    }
    // 0..1000 ms holds 11 due scans (every 100 ms): the first, then ten caught up, one round a wake.
    expect(perWake).toEqual([3, 3, 3, 1]);
    expect(scanned).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]);
    expect(scheduler.behind).toBeGreaterThan(0);
  });

  it('stops: no scan after stop()', () => {
    const { clock, advance } = virtualFleetClock();
    const { scheduler, scans } = countScans(clock, 2, 100);
    advance(150);
    scheduler.stop();
    const at = scans();
    advance(1000);
    expect(scans()).toBe(at);
  });

  describe.each([
    ['back 1 h', -HOUR],
    ['forward 1 h', HOUR],
    ['back 30 days', -30 * DAY],
    ['forward 30 days', 30 * DAY],
  ])('wall clock stepped %s', (_name, jump) => {
    const intervalMs = 2000;
    const run = () => {
      const v = virtualFleetClock();
      const ticks: { index: number; tick: FleetTick }[] = [];
      const steps: WallClockStep[] = [];
      const scheduler = startFleetScheduler({
        count: 2,
        intervalMs,
        clock: v.clock,
        onDue: (index, tick) => ticks.push({ index, tick }),
        onWallClockStep: (step) => steps.push(step),
      });
      v.advance(10 * intervalMs - 1); // 10 rounds before the step
      const before = ticks.length;
      const wallBefore = v.clock.wall();
      v.stepWall(jump);
      v.advance(10 * intervalMs); // 10 rounds after it
      return { v, ticks, steps, scheduler, before, wallBefore };
    };

    it('keeps pacing: one scan per machine per interval, neither a stall nor a burst', () => {
      const { ticks, before } = run();
      expect(before).toBe(20);
      expect(ticks.length - before).toBe(20);
      const gaps = ticks.slice(1).map((t, i) => t.tick.monotonicMs - ticks[i]!.tick.monotonicMs);
      expect(Math.max(...gaps)).toBe(intervalMs / 2);
      expect(Math.min(...gaps)).toBe(intervalMs / 2);
      // Machine order stays round-robin: each machine's scans (and so its sequence) are contiguous.
      expect(ticks.map((t) => t.index)).toEqual(ticks.map((_t, i) => i % 2));
    });

    it('reports the step once, with how far and which way', () => {
      const { steps, scheduler } = run();
      expect(steps).toHaveLength(1);
      expect(steps[0]!.deltaMs).toBe(jump);
      expect(steps[0]!.direction).toBe(jump > 0 ? 'forward' : 'back');
      expect(scheduler.wallClockSteps).toBe(1);
    });

    it('stamps the next scan with the new wall time', () => {
      const { ticks, before, wallBefore } = run();
      const next = ticks[before]!.tick;
      expect(next.wallMs - wallBefore).toBeGreaterThanOrEqual(jump);
      expect(next.wallMs - wallBefore).toBeLessThan(jump + intervalMs);
      expect(ticks.at(-1)!.tick.wallMs - next.wallMs).toBe(19 * (intervalMs / 2));
    });

    it('never sets a timer longer than one interval (no TimeoutOverflowWarning) and scans on time', () => {
      const { v, ticks } = run();
      expect(v.longestDelay()).toBeLessThanOrEqual(intervalMs);
      expect(Math.max(...ticks.map((t) => t.tick.lagMs))).toBe(0);
    });
  });

  it('does not take NTP slewing (a slow drift) for a step', () => {
    const v = virtualFleetClock();
    const steps: WallClockStep[] = [];
    startFleetScheduler({
      count: 1,
      intervalMs: 1000,
      clock: v.clock,
      onDue: () => {},
      onWallClockStep: (step) => steps.push(step),
    });
    // 500 ppm, the kernel's maximum slew, for an hour: 1.8 s in all, 0.5 ms per wake.
    for (let s = 0; s < 3600; s++) {
      v.stepWall(0.5);
      v.advance(1000);
    }
    expect(steps).toEqual([]);
  });
});
