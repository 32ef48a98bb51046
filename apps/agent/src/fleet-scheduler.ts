/** The clock the scheduler reads and the one timer it sets (replaced in tests). */
export interface SchedulerClock {
  /** Wall-clock milliseconds (the scan timestamps are wall-clock time). */
  now(): number;
  /** Calls `fn` after about `ms` milliseconds; returns a handle for `clear`. */
  set(fn: () => void, ms: number): unknown;
  /** Cancels a pending `set`. */
  clear(handle: unknown): void;
}

const realClock: SchedulerClock = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Options of {@link startFleetScheduler}. */
export interface FleetSchedulerOptions {
  /** Machines to scan, numbered 0..count-1. */
  readonly count: number;
  /** Milliseconds between two scans of the same machine. */
  readonly intervalMs: number;
  /**
   * Scans machine `index`; `now` is the wall-clock time of the scan, `dueAt` when it was due (the
   * difference is the scheduler's lag). Must not throw.
   */
  readonly onDue: (index: number, now: number, dueAt: number) => void;
  /** Clock and timer (default: `Date.now` and `setTimeout`). */
  readonly clock?: SchedulerClock;
}

/** A running fleet scheduler. */
export interface FleetScheduler {
  /** Scans started so far, all machines together. */
  readonly scans: number;
  /** Wakes on which the scheduler found itself a whole interval or more behind (overloaded). */
  readonly behind: number;
  /** Cancels the timer; no scan starts after this. */
  stop(): void;
}

/**
 * Drives a whole fleet with one timer: machine `k` of `count` is due at `start + k·interval/count`
 * and then every interval, so the scans (and the broker's load) spread evenly over the interval
 * instead of arriving as one burst. Each wake runs every machine that is due, in order, then sets
 * the timer for the next one — O(1) per scan whatever the fleet size, where one RxJS interval per
 * machine would keep 10,000 timers. Machine 0 is scanned on the first tick, as `simulate$` does.
 *
 * A wake never runs more than one round (`count` scans), so an overloaded process still yields to
 * the network between rounds; it catches up scan by scan rather than skipping one, so every
 * machine's sequence stays contiguous.
 */
export function startFleetScheduler(options: FleetSchedulerOptions): FleetScheduler {
  const { count, intervalMs, onDue } = options;
  const clock = options.clock ?? realClock;
  if (!(Number.isInteger(count) && count >= 1))
    throw new RangeError(`fleet scheduler: count must be a whole number >= 1, got ${count}`);
  if (!(Number.isFinite(intervalMs) && intervalMs > 0))
    throw new RangeError(`fleet scheduler: intervalMs must be > 0, got ${intervalMs}`);
  const start = clock.now();
  const step = intervalMs / count;
  let round = 0;
  let next = 0;
  let scans = 0;
  let behind = 0;
  let stopped = false;
  let timer: unknown;
  const dueAt = () => start + round * intervalMs + next * step;

  const wake = () => {
    timer = undefined;
    if (stopped) return;
    const now = clock.now();
    if (now - dueAt() >= intervalMs) behind++;
    for (let budget = count; budget > 0 && dueAt() <= now && !stopped; budget--) {
      onDue(next, now, dueAt());
      scans++;
      if (++next === count) {
        next = 0;
        round++;
      }
    }
    if (!stopped) timer = clock.set(wake, Math.max(0, Math.ceil(dueAt() - clock.now())));
  };
  timer = clock.set(wake, 0);

  return {
    get scans() {
      return scans;
    },
    get behind() {
      return behind;
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clear(timer);
      timer = undefined;
    },
  };
}
