import { describe, expect, it } from 'vitest';
import { startFleetScheduler, type SchedulerClock } from './fleet-scheduler.js';

/** A virtual clock: `advance(ms)` fires due timers in order. */
function virtualClock(start = 1_000_000) {
  let now = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const clock: SchedulerClock = {
    now: () => now,
    set: (fn, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clear: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const t = timers[0];
      if (!t || t.at > end) break;
      timers.shift();
      now = Math.max(now, t.at);
      t.fn();
    }
    now = end;
  };
  /** Fires the earliest pending timer only (one wake of the scheduler). */
  const fireNext = () => {
    timers.sort((a, b) => a.at - b.at);
    const t = timers.shift();
    if (!t) return;
    now = Math.max(now, t.at);
    t.fn();
  };
  return {
    clock,
    advance,
    fireNext,
    pending: () => timers.length,
    jump: (ms: number) => (now += ms),
  };
}

describe('fleet scheduler', () => {
  it('spreads the machines evenly over the interval and scans each once per interval', () => {
    const { clock, advance } = virtualClock();
    const seen: { index: number; at: number }[] = [];
    const start = clock.now();
    startFleetScheduler({
      count: 4,
      intervalMs: 2000,
      clock,
      onDue: (index, at) => seen.push({ index, at: at - start }),
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
    const { clock, advance, pending } = virtualClock();
    let scans = 0;
    const scheduler = startFleetScheduler({
      count: 1000,
      intervalMs: 2000,
      clock,
      onDue: () => scans++,
    });
    advance(2000 * 3 - 1);
    expect(scans).toBe(3000);
    expect(pending()).toBe(1);
    scheduler.stop();
    expect(pending()).toBe(0);
  });

  it('after a stall catches up scan by scan (no sequence gap), at most one round per wake', () => {
    const { clock, fireNext, jump } = virtualClock();
    const scanned: number[] = [];
    const scheduler = startFleetScheduler({
      count: 3,
      intervalMs: 300,
      clock,
      onDue: (index) => scanned.push(index),
    });
    fireNext();
    expect(scanned).toEqual([0]);
    jump(1000); // the event loop was blocked for a second
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
    const { clock, advance } = virtualClock();
    let scans = 0;
    const scheduler = startFleetScheduler({
      count: 2,
      intervalMs: 100,
      clock,
      onDue: () => scans++,
    });
    advance(150);
    scheduler.stop();
    const at = scans;
    advance(1000);
    expect(scans).toBe(at);
  });
});
