import type { Observation } from './machine-tracker.js';

/** Scan time of sequence 0 in the tracker specs. */
export const T0 = Date.parse('2025-01-15T08:00:00.000Z');
/** The publish grid of the tracker specs, ms. */
export const INTERVAL = 2000;

/** A data message of scan `sequence` of filler-01, published on the 2 s grid and received `latency` ms later. */
export function scan(sequence: number, latency = 5, extra: Partial<Observation> = {}): Observation {
  const timestamp = T0 + sequence * INTERVAL;
  return {
    machineId: 'filler-01',
    kind: 'data',
    sequence,
    timestamp,
    receivedAt: timestamp + latency,
    ...extra,
  };
}
