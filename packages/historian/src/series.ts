import type { ChangePoint, InitialValue, TimeRange } from './historian-store.js';

/** ISO-8601 UTC with milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Width of `maxPoints` equal buckets covering the range, in whole ms (at least 1). */
export function bucketWidth(range: TimeRange, maxPoints: number): number {
  return Math.max(1, Math.ceil((range.to - range.from) / maxPoints));
}

/** The value in force at the range start, shaped for the series (booleans back from 0/1). */
export function initialValue(
  row: { ts: number; value: number } | undefined,
  kind: 'boolean' | 'number',
): InitialValue | null {
  if (row === undefined) return null;
  return { t: iso(row.ts), value: kind === 'boolean' ? row.value !== 0 : row.value };
}

/**
 * Change points of a boolean tag from its stored samples (changes plus heartbeat repeats) in
 * time order. More changes than `maxPoints` are merged per bucket (the first change of a bucket
 * and, if it differs, the value the bucket ends with), so a chattering bit stays visible.
 */
export function changePoints(
  rows: ReadonlyArray<{ ts: number; value: number }>,
  before: number | undefined,
  range: TimeRange,
  maxPoints: number,
): { points: ChangePoint[]; bucketMs: number } {
  const changes: Array<{ ts: number; value: boolean }> = [];
  let previous = before;
  for (const row of rows) {
    if (row.value !== previous) changes.push({ ts: row.ts, value: row.value !== 0 });
    previous = row.value;
  }
  if (changes.length <= maxPoints) {
    return { points: changes.map((c) => ({ t: iso(c.ts), value: c.value })), bucketMs: 0 };
  }
  const width = bucketWidth(range, Math.max(1, Math.floor(maxPoints / 2)));
  const points: ChangePoint[] = [];
  let bucket = -1;
  let first: { ts: number; value: boolean } | undefined;
  let last: { ts: number; value: boolean } | undefined;
  const flush = () => {
    if (!first || !last) return;
    points.push({ t: iso(first.ts), value: first.value });
    if (last !== first && last.value !== first.value)
      points.push({ t: iso(last.ts), value: last.value });
  };
  for (const change of changes) {
    const b = Math.floor((change.ts - range.from) / width);
    if (b !== bucket) {
      flush();
      bucket = b;
      first = change;
    }
    last = change;
  }
  flush();
  return { points, bucketMs: width };
}
