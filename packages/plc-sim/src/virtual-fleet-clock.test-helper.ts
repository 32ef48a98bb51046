import type { FleetClock } from './fleet-clock.js';

/**
 * A virtual {@link FleetClock}: `advance(ms)` moves both clocks and fires due timers in order;
 * `stepWall(ms)` moves the wall clock alone (an NTP step); `stall(ms)` moves both without firing
 * (a blocked event loop).
 */
export function virtualFleetClock(wallStart = Date.UTC(2026, 10, 30, 12)) {
  let monotonic = 1_000;
  let wallOffset = wallStart - monotonic;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  let longestDelay = 0;
  const clock: FleetClock = {
    monotonic: () => monotonic,
    wall: () => monotonic + wallOffset,
    setTimer: (fn, ms) => {
      const id = ++ids;
      longestDelay = Math.max(longestDelay, ms);
      timers.push({ at: monotonic + ms, fn, id });
      return id;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const earliest = () => {
    timers.sort((a, b) => a.at - b.at || a.id - b.id);
    return timers[0];
  };
  return {
    clock,
    advance(ms: number) {
      const end = monotonic + ms;
      for (let t = earliest(); t && t.at <= end; t = earliest()) {
        timers.shift();
        monotonic = Math.max(monotonic, t.at);
        t.fn();
      }
      monotonic = end;
    },
    /** Fires the earliest pending timer only (one wake of the scheduler). */
    fireNext() {
      const t = earliest();
      if (!t) return;
      timers.shift();
      monotonic = Math.max(monotonic, t.at);
      t.fn();
    },
    stall: (ms: number) => (monotonic += ms),
    stepWall: (ms: number) => (wallOffset += ms),
    pending: () => timers.length,
    /** The longest delay any timer was set for (Node warns above 2^31−1 ms). */
    longestDelay: () => longestDelay,
  };
}
