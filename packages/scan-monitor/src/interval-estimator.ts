/** The publish interval of a machine, announced or learned from its scans. */
export interface IntervalEstimator {
  /** Adds the time between two consecutive scans (ms); non-positive samples are ignored. */
  addSample(ms: number): void;
  /** Records the interval the agent announced on its connection topic; it wins over samples. */
  announce(ms: number): void;
  /** Forgets the learned samples (the publisher restarted, maybe with another interval). */
  resetSamples(): void;
  /** The announced interval, else the median of the recent samples, else `undefined`. */
  current(): number | undefined;
}

/**
 * Learns a publish interval from the median of the last few consecutive-scan gaps: the median
 * resists one late or bunched scan.
 *
 * @param samples - Samples kept (default 9).
 *
 * @example
 * ```ts
 * import { createIntervalEstimator } from '@ot-mqtt/scan-monitor';
 * const interval = createIntervalEstimator();
 * interval.addSample(2000);
 * interval.addSample(1990);
 * interval.addSample(9000);
 * interval.current(); // 2000
 * ```
 */
export function createIntervalEstimator(samples = 9): IntervalEstimator {
  let recent: number[] = [];
  let announced: number | undefined;
  return {
    addSample(ms) {
      if (!(ms > 0)) return;
      recent.push(ms);
      if (recent.length > samples) recent.shift();
    },
    announce(ms) {
      if (ms > 0) announced = ms;
    },
    resetSamples() {
      recent = [];
    },
    current() {
      if (announced !== undefined) return announced;
      if (recent.length === 0) return undefined;
      const sorted = [...recent].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)];
    },
  };
}
