/**
 * The two clocks a fleet reads and the one timer it sets. Pacing and simulated time follow the
 * monotonic clock, which no NTP step, `date -s` or a gateway booting at 1970 can move; the wall
 * clock only stamps the scans. Replace it in tests to step either clock at will.
 */
export interface FleetClock {
  /** Monotonic milliseconds from an arbitrary origin (`performance.now()`): pacing only. */
  monotonic(): number;
  /** Wall-clock milliseconds since the Unix epoch (`Date.now()`): scan timestamps only. */
  wall(): number;
  /** Calls `fn` after about `ms` monotonic milliseconds; returns a handle for {@link clearTimer}. */
  setTimer(fn: () => void, ms: number): unknown;
  /** Cancels a pending {@link setTimer}. */
  clearTimer(handle: unknown): void;
}

/**
 * The process's clocks: `performance.now()`, `Date.now()` and `setTimeout` (whose delays run on
 * the monotonic clock in Node.js and browsers alike).
 *
 * @example
 * ```ts
 * import { systemFleetClock } from '@ot-mqtt/plc-sim';
 *
 * const started = systemFleetClock.monotonic();
 * systemFleetClock.setTimer(() => console.log(systemFleetClock.monotonic() - started), 100);
 * ```
 */
export const systemFleetClock: FleetClock = {
  monotonic: () => performance.now(),
  wall: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The wall clock moved against the monotonic clock by more than one scan interval. */
export interface WallClockStep {
  /** How far, in ms: positive when the wall clock jumped forward, negative when it went back. */
  readonly deltaMs: number;
  /** Which way the wall clock jumped. */
  readonly direction: 'forward' | 'back';
  /** The wall time (ms since the epoch) the scans carry from now on. */
  readonly wallMs: number;
}
