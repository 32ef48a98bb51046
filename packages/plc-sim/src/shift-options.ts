import type { Fault } from './fault.js';

/**
 * The disturbances a filling line suffers, each with its own failure rate and repair time.
 *
 * - `infeedJam` — a bottle jams at the infeed: nothing reaches the photoeye (`NoBottle` after 5 s,
 *   PackML Suspended). A micro-stop: frequent, cleared in well under a minute.
 * - `capFeedEmpty` — the cap hopper runs empty: bottles reach the capper without a cap
 *   (`CapMissing`, rejects; three in a row fault the line) until it is refilled.
 * - `valveSticking` — the fill valve sticks open: `Overfill`, the line faults. A breakdown.
 * - `supplyThrottled` — product supply to the valve throttled (a clogged filter): fills time out
 *   below target (`Underfill`, rejects).
 * - `productSupplyLate` — the tank's next refill comes late: the level falls through `LowLevel`
 *   (`LowProductLevel`) and, when it is late enough, to the tank-empty fault. It takes effect at the
 *   next refill request, so it starts only when the tank asks for product.
 * - `upstreamStarved` — the upstream machine (unscrambler, blow moulder) delivers no bottles.
 * - `downstreamBlocked` — the outfeed is backed up: the capped bottle cannot leave, the line waits
 *   (PackML Suspended, stop reason "blocked").
 * - `supplyLost` — the product supply is lost and the tank drains (the `emptyTank` fault): rare.
 */
export const DISTURBANCE_CAUSES = [
  'infeedJam',
  'capFeedEmpty',
  'valveSticking',
  'supplyThrottled',
  'productSupplyLate',
  'upstreamStarved',
  'downstreamBlocked',
  'supplyLost',
] as const;

/** One disturbance; see {@link DISTURBANCE_CAUSES}. */
export type DisturbanceCause = (typeof DISTURBANCE_CAUSES)[number];

/**
 * How often a disturbance happens and how long it lasts. Times between failures are exponential
 * (a constant failure rate); repair times are log-normal, as maintenance data usually is: most
 * repairs are quick, a few take much longer.
 */
export interface DisturbanceRate {
  /** Mean time between failures in minutes: from the end of one repair to the next failure, > 0. */
  readonly mtbfMinutes: number;
  /** Mean time to repair in seconds (the log-normal's mean, not its median), > 0. */
  readonly mttrSeconds: number;
  /** Log-normal shape σ (spread of ln(repair time)), ≥ 0; 0 makes every repair `mttrSeconds` long. */
  readonly repairSpread: number;
}

/** The simulated operator: resets and restarts a faulted line after a response time. */
export interface OperatorOptions {
  /** Mean response time in seconds (log-normal), > 0. */
  readonly responseSeconds: number;
  /** Log-normal shape σ of the response time, ≥ 0. */
  readonly responseSpread: number;
}

/** Slow drifts a plant sees. */
export interface DriftOptions {
  /** Peak-to-mean amplitude of the day cycle of the room temperature, °C (warmest at 15:00). */
  readonly dayCycleAmplitudeC: number;
  /** Tank pressure lost per hour of running as the pump wears, PSI/h. */
  readonly pumpWearPsiPerHour: number;
  /** Standard deviation of the temperature and pressure sensors' noise (triangular, quantised to 0.01). */
  readonly sensorNoise: number;
}

/** Something that happens at a fixed time of the shift (a scenario's schedule). */
export interface ScheduledEvent {
  /** When, in ms of simulated time since the filler was created (0 = the shift's start). */
  readonly atMs: number;
  /**
   * - `inject` / `clear` — inject or clear a {@link Fault} (clear without `fault`: all of them);
   * - `stop` / `start` — the operator's buttons (start resets first);
   * - `changeover` — planned stop for `durationMs`, then reset and start.
   */
  readonly action: 'inject' | 'clear' | 'stop' | 'start' | 'changeover';
  /** The fault of `inject` (required) and `clear`. */
  readonly fault?: Fault | undefined;
  /** Length of a `changeover`, ms. */
  readonly durationMs?: number | undefined;
}

/**
 * What makes a simulated filler behave like a shift on a real line rather than a steady demo.
 * Every random draw comes from the filler's seed (a stream of its own, so the steady line's physics
 * draws stay as they were): the same seed gives the same shift, bit for bit, however it is stepped.
 */
export interface ShiftOptions {
  /** Failure rate and repair time per cause; a cause left out (or `null`) never happens. */
  readonly disturbances?: Partial<Record<DisturbanceCause, DisturbanceRate | null>>;
  /** Standard deviation of where the level probe closes the valve, % of the bottle (0: none). */
  readonly fillSpreadPct?: number;
  /** Slow drifts; left out: none. */
  readonly drifts?: DriftOptions;
  /**
   * The simulated operator; left out: nobody resets a fault. The first command applied with
   * `filler.command()` sends the operator away: whoever sends commands drives the line.
   */
  readonly operator?: OperatorOptions;
  /** Time of day at the shift's start, ms after midnight (drives the day cycle; default 06:00). */
  readonly startTimeOfDayMs?: number;
  /** Scheduled events, in any order. */
  readonly schedule?: readonly ScheduledEvent[];
  /** Tank level at the start in percent (default: drawn from the seed, 50–80 %). */
  readonly startTankLevelPercent?: number;
}

/**
 * Disturbance rates of a plausible shift on a small single-head filler, chosen so that an 8-hour
 * shift lands near a typical OEE (~60–70 %, world class ~85 %; Nakajima's six big losses): micro-
 * stops every quarter hour, a cap or supply problem every hour or two, a valve breakdown about
 * once a shift, a lost supply about once a fortnight of shifts. Repair spreads of 0.5–0.8 are
 * the log-normal shapes maintenance logs typically show.
 */
export const PLAUSIBLE_DISTURBANCES: Readonly<Record<DisturbanceCause, DisturbanceRate>> = {
  infeedJam: { mtbfMinutes: 15, mttrSeconds: 45, repairSpread: 0.6 },
  capFeedEmpty: { mtbfMinutes: 90, mttrSeconds: 180, repairSpread: 0.5 },
  valveSticking: { mtbfMinutes: 300, mttrSeconds: 720, repairSpread: 0.7 },
  supplyThrottled: { mtbfMinutes: 180, mttrSeconds: 120, repairSpread: 0.6 },
  productSupplyLate: { mtbfMinutes: 150, mttrSeconds: 600, repairSpread: 0.5 },
  upstreamStarved: { mtbfMinutes: 60, mttrSeconds: 180, repairSpread: 0.8 },
  downstreamBlocked: { mtbfMinutes: 60, mttrSeconds: 120, repairSpread: 0.8 },
  supplyLost: { mtbfMinutes: 120 * 60, mttrSeconds: 1200, repairSpread: 0.5 },
};

/**
 * A plausible shift: {@link PLAUSIBLE_DISTURBANCES}, a fill spread of 0.8 % (≈0.6 % of bottles
 * underfilled), a 3 °C day cycle, pump wear of 0.15 PSI/h, sensor noise of 0.03, and an operator
 * who answers a fault in about a minute. The agent runs this unless told otherwise.
 *
 * @example
 * ```ts
 * import { PLAUSIBLE_SHIFT, createBottleFiller } from '@ot-mqtt/plc-sim';
 * const filler = createBottleFiller({ seed: 7, shift: PLAUSIBLE_SHIFT });
 * filler.step(8 * 3600_000);
 * filler.shiftReport?.causes.infeedJam.failures; // ~30 micro-stops in 8 hours
 * ```
 */
export const PLAUSIBLE_SHIFT: ShiftOptions = {
  disturbances: PLAUSIBLE_DISTURBANCES,
  fillSpreadPct: 0.8,
  drifts: { dayCycleAmplitudeC: 3, pumpWearPsiPerHour: 0.15, sensorNoise: 0.03 },
  operator: { responseSeconds: 60, responseSpread: 0.5 },
  startTimeOfDayMs: 6 * 3600_000,
};
