/** Limits beyond which a scan's timestamp or sequence number is not believed. */
export interface PlausibilityOptions {
  /**
   * A timestamp further than this ahead of the receive time is suspect (default: 300000 = 5 min,
   * generous for plant clocks without NTP).
   */
  readonly futureToleranceMs?: number;
  /**
   * Fastest scan rate a publisher can have, per second (default: 1000). A forward sequence jump
   * larger than the elapsed receive time allows at this rate (plus {@link jumpSlack}) is suspect.
   */
  readonly maxScansPerSecond?: number;
  /** Sequence numbers a jump may exceed the rate by, for bursts after a reconnect (default: 1000). */
  readonly jumpSlack?: number;
  /**
   * Consecutive suspect jumps that agree with each other (each plausible from the one before)
   * after which they are believed and become the new baseline (default: 3): a publisher whose
   * counter really jumped is tracked again instead of being suspect forever.
   */
  readonly confirmAfter?: number;
}

/** Why a scan was not believed. */
export type SuspectReason = 'future-timestamp' | 'sequence-jump';

/** Resolved plausibility limits. @internal */
export interface PlausibilityLimits {
  readonly futureToleranceMs: number;
  readonly maxScansPerSecond: number;
  readonly jumpSlack: number;
  readonly confirmAfter: number;
}

/** @internal */
export function plausibilityLimits(options: PlausibilityOptions = {}): PlausibilityLimits {
  const limits = {
    futureToleranceMs: options.futureToleranceMs ?? 300_000,
    maxScansPerSecond: options.maxScansPerSecond ?? 1000,
    jumpSlack: options.jumpSlack ?? 1000,
    confirmAfter: options.confirmAfter ?? 3,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
  return limits;
}

/**
 * Largest forward jump believed after `elapsedMs` of receive time. Receive time is the monitor's
 * own clock: a spoofed payload timestamp cannot widen it. @internal
 */
export function allowedJump(limits: PlausibilityLimits, elapsedMs: number): number {
  return limits.jumpSlack + (Math.max(0, elapsedMs) * limits.maxScansPerSecond) / 1000;
}
