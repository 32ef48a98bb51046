import type { HistorianTag } from './tag-catalog.js';

/** Value and time last stored for one tag: what the next value is compared against. */
export type ReferencePoint = readonly [value: number, ts: number];

/** Deadband reference of one machine, by tag name (JSON-serialisable: it is kept in the database). */
export type MachineReference = Record<string, ReferencePoint>;

/**
 * Whether a tag value must be stored: the first value, a change beyond the deadband, a heartbeat
 * (nothing stored for `heartbeatMs`), or a value older than the reference (an out-of-order or
 * late scan: stored as it is, since the reference cannot tell what was in force then).
 */
export function mustStore(
  tag: HistorianTag,
  value: number,
  ts: number,
  reference: ReferencePoint | undefined,
  heartbeatMs: number,
): boolean {
  if (reference === undefined) return true;
  const [stored, storedTs] = reference;
  if (ts <= storedTs) return ts !== storedTs;
  if (ts - storedTs >= heartbeatMs) return true;
  return tag.deadband === 0 ? value !== stored : Math.abs(value - stored) > tag.deadband;
}
