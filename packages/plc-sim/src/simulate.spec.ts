import { describe, expect, it, vi } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { firstValueFrom, map, take, tap, toArray } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { createBottleFiller } from './bottle-filler.js';
import { simulate$ } from './simulate.js';
import type { SimulatedScan } from './simulate.js';

function virtualTime(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('simulate$', () => {
  it('emits a snapshot at once and then one per interval, with sequence 0, 1, 2 … and the scheduler time', () => {
    const scheduler = virtualTime();
    scheduler.run(({ expectObservable }) => {
      const sim = createBottleFiller({ seed: 1 });
      const stamped$ = simulate$(sim, { intervalMs: 2000, scheduler }).pipe(
        take(3),
        map((s) => `${s.sequence}@${s.timestamp.getTime()}`),
      );
      expectObservable(stamped$).toBe('a 1999ms b 1999ms (c|)', {
        a: '0@0',
        b: '1@2000',
        c: '2@4000',
      });
    });
  });

  it('advances the simulator by interval × timeScale and gives the same tags as stepping by hand', () => {
    const scheduler = virtualTime();
    const driven = createBottleFiller({ seed: 2 });
    const manual = createBottleFiller({ seed: 2 });
    let scans: SimulatedScan[] = [];
    scheduler.run(({ flush }) => {
      simulate$(driven, { intervalMs: 1000, timeScale: 10, scheduler })
        .pipe(take(6), toArray())
        .subscribe((all) => (scans = all));
      flush();
    });
    expect(scans.map((s) => s.sequence)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(driven.timeMs).toBe(50_000);
    expect(scans[0]!.tags).toEqual(manual.snapshot());
    for (let i = 1; i < scans.length; i++) {
      manual.step(10_000);
      expect(scans[i]!.tags).toEqual(manual.snapshot());
    }
  });

  it('steps by the clock, not by counting ticks, so late timers do not make simulated time drift', () => {
    const scheduler = virtualTime();
    const sim = createBottleFiller({ seed: 3 });
    // A clock that runs 250 ms ahead per interval: as if every timer fired a quarter second late.
    const late: SchedulerLike = {
      now: () => scheduler.now() * 1.125,
      schedule: scheduler.schedule.bind(scheduler) as SchedulerLike['schedule'],
    };
    const times: number[] = [];
    scheduler.run(({ flush }) => {
      simulate$(sim, { intervalMs: 2000, scheduler: late })
        .pipe(take(4))
        .subscribe(() => times.push(sim.timeMs));
      flush();
    });
    expect(times).toEqual([0, 2200, 4500, 6700]);
  });

  it('in real time steps by the monotonic clock: a wall clock stepped ±30 days moves only the timestamps', async () => {
    const DAY = 86_400_000;
    const sim = createBottleFiller({ seed: 4 });
    const wall = Date.now.bind(Date);
    let offset = 0;
    const stepped = vi.spyOn(Date, 'now').mockImplementation(() => wall() + offset);
    try {
      const scans = await firstValueFrom(
        simulate$(sim, { intervalMs: 20, timeScale: 10 }).pipe(
          map((s) => ({ sequence: s.sequence, at: s.timestamp.getTime(), simMs: sim.timeMs })),
          tap(({ sequence }) => {
            if (sequence === 1) offset = -30 * DAY;
            if (sequence === 3) offset = 30 * DAY;
          }),
          take(5),
          toArray(),
        ),
      );
      expect(scans[2]!.at - scans[1]!.at).toBeLessThan(-29 * DAY);
      expect(scans[4]!.at - scans[3]!.at).toBeGreaterThan(59 * DAY);
      // Simulated time went on at the real pace: never back, and not thirty days ahead.
      const simMs = scans.map((s) => s.simMs);
      expect(simMs).toEqual([...simMs].sort((a, b) => a - b));
      expect(simMs.at(-1)!).toBeGreaterThan(0);
      expect(simMs.at(-1)!).toBeLessThan(60_000);
    } finally {
      stepped.mockRestore();
    }
  });

  it('does not step the simulator before it is subscribed (cold)', () => {
    const sim = createBottleFiller();
    simulate$(sim, { intervalMs: 10 });
    expect(sim.timeMs).toBe(0);
  });

  it('rejects a non-positive interval or time scale with a RangeError naming the option', () => {
    const sim = createBottleFiller();
    expect(() => simulate$(sim, { intervalMs: 0 })).toThrow(/intervalMs/);
    expect(() => simulate$(sim, { intervalMs: 1000, timeScale: -1 })).toThrow(/timeScale/);
  });
});
