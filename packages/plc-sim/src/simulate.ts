import { asyncScheduler, defer, map, timer } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import type { BottleFiller } from './bottle-filler.js';

/** Options of {@link simulate$}. */
export interface SimulateOptions {
  /** Real time between two snapshots, in milliseconds (e.g. 2000 for the seed's 2 s publish rate). */
  intervalMs: number;
  /** Simulated milliseconds per real millisecond: 10 runs the filler ten times faster (default: 1). */
  timeScale?: number;
  /** Scheduler for the interval and the clock; a `TestScheduler` gives virtual time (default: `asyncScheduler`). */
  scheduler?: SchedulerLike;
}

/** One emission of {@link simulate$}: the tags of one scan with its envelope data. */
export interface SimulatedScan {
  /** The 30 tags after the simulator caught up with the clock. */
  tags: BottleFillerTags;
  /** 0 for the first emission, +1 for each following one: the envelope's scan sequence. */
  sequence: number;
  /** Scheduler time of the emission: wall-clock time unless the scheduler is virtual. */
  timestamp: Date;
}

/**
 * Drives a simulator in (scaled) real time: emits a snapshot at once on subscription and then every
 * `intervalMs`. Before each snapshot the simulator is stepped to `elapsed real ms × timeScale`
 * measured on the monotonic clock (the scheduler's, when one is given), not by counting intervals, so simulated time keeps pace with
 * the wall clock even when timers fire late — and because `step` is split-invariant the states it
 * samples are the same ones an uninterrupted run goes through.
 *
 * The observable is cold and each subscription steps the simulator it was given: subscribe once
 * (and `share()` the result) per simulator.
 *
 * @example
 * ```ts
 * import { createBottleFiller, simulate$ } from '@ot-mqtt/plc-sim';
 *
 * const filler = createBottleFiller({ machineId: 'filler-01' });
 * const subscription = simulate$(filler, { intervalMs: 2000 }).subscribe(({ tags, sequence }) => {
 *   console.log(sequence, tags.counters.BottlesFilled);
 * });
 * // later: subscription.unsubscribe();
 * ```
 */
export function simulate$(sim: BottleFiller, options: SimulateOptions): Observable<SimulatedScan> {
  const { intervalMs } = options;
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
    throw new RangeError(`simulate$: intervalMs must be a finite number > 0, got ${intervalMs}`);
  }
  if (!(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new RangeError(`simulate$: timeScale must be a finite number > 0, got ${timeScale}`);
  }
  const scheduler = options.scheduler ?? asyncScheduler;
  // In real time simulated time follows the monotonic clock and only the timestamps the wall
  // clock, so an NTP step or `date -s` neither freezes the filler nor runs it an hour at once
  // (issue 9). A given scheduler (virtual time) is both clocks.
  const elapsedClock =
    options.scheduler === undefined ? () => performance.now() : () => scheduler.now();
  return defer(() => {
    const startedAt = elapsedClock();
    let advancedMs = 0;
    return timer(0, intervalMs, scheduler).pipe(
      map((sequence): SimulatedScan => {
        const now = scheduler.now();
        // Whole milliseconds keep the split-invariance guarantee of step() exact.
        const targetMs = Math.round((elapsedClock() - startedAt) * timeScale);
        if (targetMs > advancedMs) {
          sim.step(targetMs - advancedMs);
          advancedMs = targetMs;
        }
        return { tags: sim.snapshot(), sequence, timestamp: new Date(now) };
      }),
    );
  });
}
