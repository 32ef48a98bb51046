import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import type { BottleFiller } from './bottle-filler.js';
import { systemFleetClock, type FleetClock, type WallClockStep } from './fleet-clock.js';
import { startFleetScheduler } from './fleet-scheduler.js';

/** One scan of a {@link startSimulatedFleet} machine. */
export interface FleetScan {
  /** Which filler (its index in `fillers`). */
  readonly index: number;
  /** The 30 tags after the simulator caught up with the monotonic clock. */
  readonly tags: BottleFillerTags;
  /** Wall-clock time of the scan: the envelope's timestamp. */
  readonly timestamp: Date;
  /** How late the scan started after it was due, in ms. */
  readonly lagMs: number;
}

/** Options of {@link startSimulatedFleet}. */
export interface SimulatedFleetOptions {
  /** The simulators, scanned in this order, spread evenly over each interval. */
  readonly fillers: readonly BottleFiller[];
  /** Real milliseconds between two scans of the same filler. */
  readonly intervalMs: number;
  /** Simulated milliseconds per real millisecond (default: 1). */
  readonly timeScale?: number;
  /** Takes one scan (e.g. publishes it). A throw stops that filler (see `onFillerStopped`). */
  readonly onScan: (scan: FleetScan) => void;
  /** The wall clock stepped by more than one interval; called once per step. */
  readonly onWallClockStep?: (step: WallClockStep) => void;
  /** Filler `index` threw (simulator or `onScan`) and is not scanned again. */
  readonly onFillerStopped?: (index: number, error: unknown) => void;
  /** Clocks and timer (default: {@link systemFleetClock}). */
  readonly clock?: FleetClock;
}

/** A running simulated fleet. */
export interface SimulatedFleet {
  /** Scans started so far, all fillers together. */
  readonly scans: number;
  /** Scheduler wakes that found themselves a whole interval or more behind (overload). */
  readonly behind: number;
  /** Wall-clock steps seen so far. */
  readonly wallClockSteps: number;
  /** Steps filler `index` to now (e.g. before applying a command that arrived between scans). */
  catchUp(index: number): void;
  /** No scan starts after this. */
  stop(): void;
}

/**
 * Runs a fleet of simulators in (scaled) real time on one timer ({@link startFleetScheduler}):
 * before each scan a filler is stepped to `monotonic ms since its first scan × timeScale`, so its
 * simulated time keeps pace even when timers fire late, and a wall clock that jumps moves only the
 * timestamps. `step` is split-invariant, so a filler goes through the same states whether it was
 * caught up by scans or by {@link SimulatedFleet.catchUp}. Pure: no sockets, no I/O.
 *
 * @example
 * ```ts
 * import { createBottleFiller, startSimulatedFleet } from '@ot-mqtt/plc-sim';
 *
 * const fillers = ['filler-0001', 'filler-0002'].map((machineId) => createBottleFiller({ machineId }));
 * const fleet = startSimulatedFleet({
 *   fillers,
 *   intervalMs: 2000,
 *   onScan: ({ index, tags, timestamp }) =>
 *     console.log(index, timestamp.toISOString(), tags.counters.BottlesFilled),
 * });
 * // later: fleet.stop();
 * ```
 */
export function startSimulatedFleet(options: SimulatedFleetOptions): SimulatedFleet {
  const { fillers, onScan, onFillerStopped } = options;
  const clock = options.clock ?? systemFleetClock;
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0))
    throw new RangeError(
      `simulated fleet: timeScale must be a finite number > 0, got ${timeScale}`,
    );
  const startedAt: (number | undefined)[] = fillers.map(() => undefined);
  const advancedMs = fillers.map(() => 0);
  const stopped = fillers.map(() => false);

  const advance = (index: number, monotonicMs: number): void => {
    const since = (startedAt[index] ??= monotonicMs);
    // Whole milliseconds keep the split-invariance guarantee of step() exact.
    const targetMs = Math.round((monotonicMs - since) * timeScale);
    if (targetMs > advancedMs[index]!) {
      fillers[index]!.step(targetMs - advancedMs[index]!);
      advancedMs[index] = targetMs;
    }
  };

  const scheduler = startFleetScheduler({
    count: fillers.length,
    intervalMs: options.intervalMs,
    clock,
    ...(options.onWallClockStep === undefined ? {} : { onWallClockStep: options.onWallClockStep }),
    onDue: (index, tick) => {
      if (stopped[index]) return;
      try {
        advance(index, tick.monotonicMs);
        onScan({
          index,
          tags: fillers[index]!.snapshot(),
          timestamp: new Date(tick.wallMs),
          lagMs: tick.lagMs,
        });
      } catch (error) {
        stopped[index] = true;
        onFillerStopped?.(index, error);
      }
    },
  });

  return {
    get scans() {
      return scheduler.scans;
    },
    get behind() {
      return scheduler.behind;
    },
    get wallClockSteps() {
      return scheduler.wallClockSteps;
    },
    catchUp(index) {
      if (startedAt[index] !== undefined && !stopped[index]) advance(index, clock.monotonic());
    },
    stop: () => scheduler.stop(),
  };
}
