import type { ScanValues } from './alarm-journal.js';
import type { HistorianTag } from './tag-catalog.js';

/** A stored sample of one tag: time (ms) and value (booleans as 0/1). */
export interface SamplePoint {
  readonly ts: number;
  readonly value: number;
}

/**
 * The value of each tag in force at each scan: the last sample at or before the scan's time.
 * Samples are stored on change (plus a heartbeat), so holding the last one until the next is
 * exactly what the PLC held — for booleans and counters (deadband 0) without loss.
 *
 * @param scans - Scans in time order.
 * @param series - Per tag: its catalogue entry, the last sample before the first scan (if any) and
 *   the samples from the first scan's time on, in time order.
 */
export function valuesAtScans(
  scans: readonly { readonly ts: number; readonly seq: number }[],
  series: readonly {
    readonly tag: HistorianTag;
    readonly before: SamplePoint | undefined;
    readonly points: readonly SamplePoint[];
  }[],
): ScanValues[] {
  const cursors = series.map((s) => ({ ...s, next: 0, current: s.before?.value }));
  return scans.map((scan) => {
    const values: Record<string, number | boolean> = {};
    for (const c of cursors) {
      while (c.next < c.points.length && c.points[c.next]!.ts <= scan.ts) {
        c.current = c.points[c.next]!.value;
        c.next++;
      }
      if (c.current !== undefined)
        values[c.tag.name] = c.tag.kind === 'boolean' ? c.current !== 0 : c.current;
    }
    return { at: scan.ts, sequence: scan.seq, values };
  });
}
