/** One scan as OEE needs it: when, whether the machine was running, and its two counters. */
export interface OeeSample {
  /** Scan time, epoch ms. Samples must be in time order. */
  readonly at: number;
  /** The machine produces: `SystemRunning` and not `Fault`. */
  readonly running: boolean;
  /** `BottlesFilled` counter. */
  readonly filled: number;
  /** `BottlesRejected` counter. */
  readonly rejected: number;
}

/** Options of {@link computeOee}. */
export interface OeeOptions {
  /** Ideal rate in bottles per minute (the filler's design rate), > 0. */
  readonly idealRatePerMinute: number;
  /**
   * Longer gaps between samples are "no data" and count neither as planned nor as run time
   * (default: 60000): an agent that was off says nothing about the machine.
   */
  readonly maxGapMs?: number;
}

/** OEE of one machine over a half-open window `[from, to)`. Times in ms, ratios 0–1. */
export interface OeeResult {
  /** Window start, epoch ms. */
  readonly from: number;
  /** Window end (exclusive), epoch ms. */
  readonly to: number;
  /** Planned production time: the window's time covered by scans (gaps over `maxGapMs` excluded). */
  readonly plannedMs: number;
  /** Time the machine was running within the planned time. */
  readonly runMs: number;
  /** Bottles filled in the window (counter increments; a counter reset counts from 0). */
  readonly total: number;
  /** Bottles rejected in the window. */
  readonly rejected: number;
  /** Good bottles: filled − rejected. */
  readonly good: number;
  /** runMs / plannedMs; `undefined` without planned time. */
  readonly availability: number | undefined;
  /** total / (runMs × ideal rate); `undefined` without run time. */
  readonly performance: number | undefined;
  /** good / total; `undefined` without bottles. */
  readonly quality: number | undefined;
  /** availability × performance × quality; `undefined` when one of them is. */
  readonly oee: number | undefined;
}

// A counter that went down was reset (agent restart): what it shows now was counted since.
const increment = (previous: number, current: number) =>
  current >= previous ? current - previous : current;

/**
 * Overall equipment effectiveness of one machine over `[from, to)` from its scans: availability
 * (run time / planned time) × performance (bottles / (run time × ideal rate)) × quality (good /
 * bottles, good = filled − rejected).
 *
 * Each scan's state holds until the next scan (a PLC's value holds until it changes); an interval
 * is clipped to the window, and intervals longer than `maxGapMs` are "no data". Counter increments
 * are attributed to the interval they happened in, i.e. to the later scan's time.
 *
 * @param samples - Scans of one machine in time order (include the last scan before `from` so the
 *   window's start is covered).
 * @param from - Window start, epoch ms (inclusive).
 * @param to - Window end, epoch ms (exclusive).
 * @param options - Ideal rate and gap limit.
 * @returns The three factors, OEE and the figures they come from.
 * @throws RangeError when the ideal rate is not > 0 or the window is empty.
 *
 * @example
 * ```ts
 * import { computeOee } from '@ot-mqtt/scan-monitor';
 * const samples = [
 *   { at: 0, running: true, filled: 0, rejected: 0 },
 *   { at: 60_000, running: true, filled: 50, rejected: 1 },
 * ];
 * computeOee(samples, 0, 60_000, { idealRatePerMinute: 60 }).oee; // 1 × 50/60 × 49/50 ≈ 0.817
 * ```
 */
export function computeOee(
  samples: readonly OeeSample[],
  from: number,
  to: number,
  options: OeeOptions,
): OeeResult {
  if (!(options.idealRatePerMinute > 0))
    throw new RangeError(`idealRatePerMinute must be > 0, got ${options.idealRatePerMinute}`);
  if (!(to > from)) throw new RangeError(`the window [${from}, ${to}) is empty`);
  const maxGapMs = options.maxGapMs ?? 60_000;
  let plannedMs = 0;
  let runMs = 0;
  let total = 0;
  let rejected = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const gap = b.at - a.at;
    if (gap <= 0 || gap > maxGapMs) continue;
    const start = Math.max(a.at, from);
    const end = Math.min(b.at, to);
    if (end > start) {
      plannedMs += end - start;
      if (a.running) runMs += end - start;
    }
    if (b.at > from && b.at <= to) {
      total += increment(a.filled, b.filled);
      rejected += increment(a.rejected, b.rejected);
    }
  }
  const good = Math.max(0, total - rejected);
  const availability = plannedMs > 0 ? runMs / plannedMs : undefined;
  const performance =
    runMs > 0 ? total / ((runMs / 60_000) * options.idealRatePerMinute) : undefined;
  const quality = total > 0 ? good / total : undefined;
  const oee =
    availability === undefined || performance === undefined || quality === undefined
      ? undefined
      : availability * performance * quality;
  return {
    from,
    to,
    plannedMs,
    runMs,
    total,
    rejected,
    good,
    availability,
    performance,
    quality,
    oee,
  };
}

/**
 * OEE per clock hour (UTC hours) of `[from, to)`, for trend charts.
 *
 * @param samples - Scans of one machine in time order.
 * @param from - Window start, epoch ms.
 * @param to - Window end (exclusive), epoch ms.
 * @param options - Ideal rate and gap limit.
 * @returns One result per hour touching the window, each clipped to it.
 *
 * @example
 * ```ts
 * import { oeeByHour } from '@ot-mqtt/scan-monitor';
 * declare const samples: import('@ot-mqtt/scan-monitor').OeeSample[];
 * for (const h of oeeByHour(samples, Date.parse('2025-06-02T06:00Z'), Date.parse('2025-06-02T14:00Z'), { idealRatePerMinute: 60 }))
 *   console.log(new Date(h.from).toISOString(), h.oee);
 * ```
 */
export function oeeByHour(
  samples: readonly OeeSample[],
  from: number,
  to: number,
  options: OeeOptions,
): OeeResult[] {
  const HOUR = 3_600_000;
  const results: OeeResult[] = [];
  for (let start = Math.floor(from / HOUR) * HOUR; start < to; start += HOUR) {
    results.push(computeOee(samples, Math.max(start, from), Math.min(start + HOUR, to), options));
  }
  return results;
}

/** A shift pattern: shifts of equal length starting at a time of day. */
export interface ShiftPattern {
  /** Start of one shift as `HH:MM` local time (default `06:00`). */
  readonly startsAt?: string;
  /** Shift length in hours; 24 must be a multiple of it (default 8: three shifts). */
  readonly lengthHours?: number;
  /** Local time's offset from UTC in minutes, e.g. 60 for CET (default 0). */
  readonly utcOffsetMinutes?: number;
}

/**
 * The shift `at` falls in, as a half-open window `[from, to)`.
 *
 * @param at - Any time, epoch ms.
 * @param pattern - Shift start, length and UTC offset.
 * @returns The shift's start and end, epoch ms.
 * @throws RangeError on a malformed start or a length that does not divide 24 h.
 *
 * @example
 * ```ts
 * import { shiftWindow } from '@ot-mqtt/scan-monitor';
 * shiftWindow(Date.parse('2025-06-02T15:30:00Z'), { startsAt: '06:00', lengthHours: 8 });
 * // → { from: 2025-06-02T14:00Z, to: 2025-06-02T22:00Z } in epoch ms
 * ```
 */
export function shiftWindow(at: number, pattern: ShiftPattern = {}): { from: number; to: number } {
  const match = /^(\d{1,2}):(\d{2})$/u.exec(pattern.startsAt ?? '06:00');
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 23 || minutes > 59)
    throw new RangeError(`startsAt must be HH:MM, got ${JSON.stringify(pattern.startsAt)}`);
  const lengthHours = pattern.lengthHours ?? 8;
  if (!(lengthHours > 0) || 24 % lengthHours !== 0)
    throw new RangeError(`lengthHours must divide 24, got ${lengthHours}`);
  const length = lengthHours * 3_600_000;
  const anchor = (hours * 60 + minutes - (pattern.utcOffsetMinutes ?? 0)) * 60_000;
  const from = Math.floor((at - anchor) / length) * length + anchor;
  return { from, to: from + length };
}
