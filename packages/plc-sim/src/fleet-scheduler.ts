import { systemFleetClock, type FleetClock, type WallClockStep } from './fleet-clock.js';

/** When one scan of {@link startFleetScheduler} runs. */
export interface FleetTick {
  /** Wall-clock time of the scan, ms since the epoch: what its timestamp says. */
  readonly wallMs: number;
  /** Monotonic time of the scan (the fleet clock's origin). */
  readonly monotonicMs: number;
  /** How late the scan started after it was due, in ms (monotonic, so never skewed by a clock step). */
  readonly lagMs: number;
}

/** Options of {@link startFleetScheduler}. */
export interface FleetSchedulerOptions {
  /** Machines to scan, numbered 0..count-1. */
  readonly count: number;
  /** Milliseconds between two scans of the same machine. */
  readonly intervalMs: number;
  /** Scans machine `index`. Must not throw. */
  readonly onDue: (index: number, tick: FleetTick) => void;
  /**
   * The wall clock moved against the monotonic one by more than `intervalMs` (NTP step, `date -s`,
   * a gateway that booted at 1970 and then synced): called once per step, before the first scan
   * that carries the new time. Pacing is not affected.
   */
  readonly onWallClockStep?: (step: WallClockStep) => void;
  /** Clocks and timer (default: {@link systemFleetClock}). */
  readonly clock?: FleetClock;
}

/** A running fleet scheduler. */
export interface FleetScheduler {
  /** Scans started so far, all machines together. */
  readonly scans: number;
  /** Wakes on which the scheduler found itself a whole interval or more behind (overloaded). */
  readonly behind: number;
  /** Wall-clock steps seen so far (each reported once to `onWallClockStep`). */
  readonly wallClockSteps: number;
  /** Cancels the timer; no scan starts after this. */
  stop(): void;
}

/**
 * Drives a whole fleet with one timer: machine `k` of `count` is due at `start + k·interval/count`
 * and then every interval, so the scans (and the broker's load) spread evenly over the interval
 * instead of arriving as one burst. Each wake runs every machine that is due, in order, then sets
 * the timer for the next one — O(1) per scan whatever the fleet size, where one timer per machine
 * would keep 10,000 timers. Machine 0 is scanned on the first tick, as `simulate$` does.
 *
 * Due times are monotonic: a wall clock stepped back an hour neither stalls the fleet for that
 * hour, nor does one stepped forward release an hour of scans at once, and the timer's delay is
 * never more than one interval. Between two wakes the offset wall − monotonic only drifts by NTP
 * slewing (≤ 0.5 ms/s); a change of more than one interval is a step, reported once.
 *
 * A wake never runs more than one round (`count` scans), so an overloaded process still yields to
 * the network between rounds; it catches up scan by scan rather than skipping one, so every
 * machine's sequence stays contiguous.
 *
 * @example
 * ```ts
 * import { startFleetScheduler } from '@ot-mqtt/plc-sim';
 *
 * const scheduler = startFleetScheduler({
 *   count: 3,
 *   intervalMs: 2000,
 *   onDue: (index, tick) => console.log(`filler ${index}`, new Date(tick.wallMs).toISOString()),
 *   onWallClockStep: (step) => console.warn(`wall clock stepped ${step.direction} ${step.deltaMs} ms`),
 * });
 * // later: scheduler.stop();
 * ```
 */
export function startFleetScheduler(options: FleetSchedulerOptions): FleetScheduler {
  const { count, intervalMs, onDue, onWallClockStep } = options;
  const clock = options.clock ?? systemFleetClock;
  if (!(Number.isInteger(count) && count >= 1))
    throw new RangeError(`fleet scheduler: count must be a whole number >= 1, got ${count}`);
  if (!(Number.isFinite(intervalMs) && intervalMs > 0))
    throw new RangeError(`fleet scheduler: intervalMs must be > 0, got ${intervalMs}`);
  const start = clock.monotonic();
  const step = intervalMs / count;
  let offset = clock.wall() - start;
  let round = 0;
  let next = 0;
  let scans = 0;
  let behind = 0;
  let steps = 0;
  let stopped = false;
  let timer: unknown;
  const dueAt = () => start + round * intervalMs + next * step;

  const wake = () => {
    timer = undefined;
    if (stopped) return;
    const monotonicMs = clock.monotonic();
    const wallMs = clock.wall();
    const moved = wallMs - monotonicMs - offset;
    offset = wallMs - monotonicMs;
    if (Math.abs(moved) > intervalMs) {
      steps++;
      onWallClockStep?.({ deltaMs: moved, direction: moved > 0 ? 'forward' : 'back', wallMs });
    }
    if (monotonicMs - dueAt() >= intervalMs) behind++;
    for (let budget = count; budget > 0 && dueAt() <= monotonicMs && !stopped; budget--) {
      onDue(next, { wallMs, monotonicMs, lagMs: monotonicMs - dueAt() });
      scans++;
      if (++next === count) {
        next = 0;
        round++;
      }
    }
    if (!stopped) timer = clock.setTimer(wake, Math.max(0, Math.ceil(dueAt() - clock.monotonic())));
  };
  timer = clock.setTimer(wake, 0);

  return {
    get scans() {
      return scans;
    },
    get behind() {
      return behind;
    },
    get wallClockSteps() {
      return steps;
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
    },
  };
}
