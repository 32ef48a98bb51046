import { allowedJump, type PlausibilityLimits, type SuspectReason } from './plausibility.js';
import { createSequenceWindow } from './sequence-window.js';

/** One scan of the reference topic as the sequence tracker sees it. @internal */
export interface SequenceObservation {
  readonly sequence: number;
  readonly timestamp: number | undefined;
  readonly receivedAt: number;
}

/** What one scan meant for the sequence. @internal */
export type SequenceVerdict =
  | { readonly type: 'first' }
  | { readonly type: 'next'; readonly intervalMs: number | undefined }
  | { readonly type: 'gap'; readonly from: number; readonly to: number; readonly missing: number }
  | { readonly type: 'duplicate' }
  | { readonly type: 'late'; readonly counted: boolean }
  | { readonly type: 'reset'; readonly previous: number }
  | {
      readonly type: 'suspect';
      readonly reason: SuspectReason;
      /** The baseline the scan was judged against (newest believed sequence, its timestamp). */
      readonly baseline: number;
      readonly baselineTimestamp: number | undefined;
    };

/** Sequence bookkeeping of one machine's reference topic. @internal */
export interface SequenceTracker {
  observe(o: SequenceObservation): SequenceVerdict;
  /** Starts over (the reference topic changed). */
  restart(o: SequenceObservation): void;
}

/** @internal */
export function createSequenceTracker(limits: PlausibilityLimits): SequenceTracker {
  const window = createSequenceWindow();
  let lastTimestamp: number | undefined;
  let lastReceivedAt = 0;
  // Suspect jumps that agree with each other: after `confirmAfter` of them they are believed.
  let candidate: { sequence: number; receivedAt: number; count: number } | undefined;

  const moveBaseline = (o: SequenceObservation) => {
    lastTimestamp = o.timestamp;
    lastReceivedAt = o.receivedAt;
    candidate = undefined;
  };

  const suspectJump = (o: SequenceObservation): boolean => {
    const jump = o.sequence - window.newest - 1;
    if (jump <= allowedJump(limits, o.receivedAt - lastReceivedAt)) return false;
    if (
      candidate !== undefined &&
      o.sequence > candidate.sequence &&
      o.sequence - candidate.sequence <= allowedJump(limits, o.receivedAt - candidate.receivedAt)
    ) {
      candidate = { sequence: o.sequence, receivedAt: o.receivedAt, count: candidate.count + 1 };
    } else {
      candidate = { sequence: o.sequence, receivedAt: o.receivedAt, count: 1 };
    }
    return candidate.count < limits.confirmAfter;
  };

  return {
    restart(o) {
      window.restart(o.sequence);
      moveBaseline(o);
    },
    observe(o) {
      const s = o.sequence;
      const baseline = window.newest;
      if (baseline < 0) {
        window.restart(s);
        moveBaseline(o);
        return { type: 'first' };
      }
      const suspect = (reason: SuspectReason): SequenceVerdict => ({
        type: 'suspect',
        reason,
        baseline,
        baselineTimestamp: lastTimestamp,
      });
      if (o.timestamp !== undefined && o.timestamp - o.receivedAt > limits.futureToleranceMs)
        return suspect('future-timestamp');
      if (s > baseline) {
        if (s > baseline + 1 && suspectJump(o)) return suspect('sequence-jump');
        if (candidate !== undefined && candidate.count >= limits.confirmAfter) {
          // The jump was confirmed by agreeing scans: a new baseline, reported as a restart.
          window.restart(s);
          moveBaseline(o);
          return { type: 'reset', previous: baseline };
        }
        const intervalMs =
          s === baseline + 1 && o.timestamp !== undefined && lastTimestamp !== undefined
            ? o.timestamp - lastTimestamp
            : undefined;
        window.add(s);
        moveBaseline(o);
        return s === baseline + 1
          ? { type: 'next', intervalMs }
          : { type: 'gap', from: baseline + 1, to: s - 1, missing: s - baseline - 1 };
      }
      if (window.has(s)) return { type: 'duplicate' };
      // Lower and unseen: a late message carries an older timestamp than the newest one; a
      // restarted agent's first scans carry newer ones.
      const newer =
        o.timestamp !== undefined && lastTimestamp !== undefined
          ? o.timestamp > lastTimestamp
          : !window.covers(s) || s === 0;
      if (newer) {
        window.restart(s);
        moveBaseline(o);
        return { type: 'reset', previous: baseline };
      }
      const counted = window.covers(s);
      if (counted) window.add(s);
      return { type: 'late', counted };
    },
  };
}
