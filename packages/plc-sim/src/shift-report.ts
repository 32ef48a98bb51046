import type { Alarms } from '@ot-mqtt/tag-model';
import type { DisturbanceCause } from './shift-options.js';

/** What one disturbance cause did so far. */
export interface CauseStats {
  /** Failures that began. */
  readonly failures: number;
  /** Repairs that ended. */
  readonly repairs: number;
  /** Total length of the ended repairs, ms (MTTR = repairMs / repairs). */
  readonly repairMs: number;
  /** Time from each repair's end (or the start) to the next failure, summed, ms (MTBF = upMs / failures). */
  readonly upMs: number;
  /** Whether it is going on now. */
  readonly active: boolean;
}

/** A shift so far, as a line manager's report needs it. Times in ms of simulated time. */
export interface ShiftReport {
  /** Simulated time since the filler was created. */
  readonly timeMs: number;
  /** Time not spent in a scheduled changeover (planned production time). */
  readonly plannedMs: number;
  /** Planned time with the line running (PackML Execute or Suspended, not faulted). */
  readonly runMs: number;
  /** Planned time with the line faulted (PackML Aborting/Aborted). */
  readonly faultedMs: number;
  /** Good bottles (`BottlesFilled`). */
  readonly good: number;
  /** Rejected bottles (`BottlesRejected`). */
  readonly rejected: number;
  /** Per disturbance cause. */
  readonly causes: Readonly<Record<DisturbanceCause, CauseStats>>;
  /** How often each of the five alarms went from off to on. */
  readonly alarmRaises: Readonly<Record<keyof Alarms, number>>;
  /** Planned time with the line faulted, by the fault's PackML stop reason text. */
  readonly faultedMsByReason: Readonly<Record<string, number>>;
  /**
   * Planned time out of PackML Execute — faulted, suspended (starved, blocked), stopped — by the
   * stop reason text: the downtime Pareto.
   */
  readonly downtimeMsByReason: Readonly<Record<string, number>>;
  /** Rejected bottles by their first cause: no cap, below 93 %, at or above 98 %. */
  readonly rejectsByCause: Readonly<{ noCap: number; underfill: number; overfill: number }>;
  /** Times the simulated operator pressed reset and start. */
  readonly operatorResets: number;
  /** The simulated operator still answers faults (false without one, or once a command was applied). */
  readonly operatorOnDuty: boolean;
}

/** OEE of a shift: each factor 0–1 (`NaN` without the time or bottles to judge). */
export interface ShiftOee {
  readonly availability: number;
  readonly performance: number;
  readonly quality: number;
  readonly oee: number;
}

/**
 * Default ideal rate of the simulated filler, bottles per minute: its design rate, a little above
 * the ~15 it makes with the seeded gaps of bottles from upstream (the gateway's default too).
 */
export const IDEAL_RATE_PER_MINUTE = 16;

/**
 * OEE of a shift report: availability = run / planned time, performance = bottles / (run time ×
 * ideal rate), quality = good / bottles — the definitions of the gateway's OEE endpoint.
 *
 * @example
 * ```ts
 * import { PLAUSIBLE_SHIFT, createBottleFiller, shiftOee } from '@ot-mqtt/plc-sim';
 * const filler = createBottleFiller({ shift: PLAUSIBLE_SHIFT });
 * filler.step(8 * 3600_000);
 * const { oee } = shiftOee(filler.shiftReport!); // ≈ 0.6–0.75
 * ```
 */
export function shiftOee(
  report: ShiftReport,
  idealRatePerMinute: number = IDEAL_RATE_PER_MINUTE,
): ShiftOee {
  if (!(idealRatePerMinute > 0)) {
    throw new RangeError(`idealRatePerMinute must be > 0, got ${idealRatePerMinute}`);
  }
  const total = report.good + report.rejected;
  const availability = report.plannedMs > 0 ? report.runMs / report.plannedMs : NaN;
  const performance =
    report.runMs > 0 ? total / ((report.runMs / 60_000) * idealRatePerMinute) : NaN;
  const quality = total > 0 ? report.good / total : NaN;
  return { availability, performance, quality, oee: availability * performance * quality };
}
