import type {
  BooleanSeries,
  ChangePoint,
  HistoryQuery,
  InitialValue,
  NumericPoint,
  NumericSeries,
  TimeRange,
} from './historian-store.js';
import type { HistorianTag } from './tag-catalog.js';

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

/**
 * One bucket of a numeric tag as both engines' queries return it. Each stored value holds until the
 * next one (stored on change: the value did not leave the deadband in between) and the newest one
 * until the end of the data (the machine's newest scan) — `area` is Σ value × time held inside the
 * bucket, `held` Σ time held, both in ms from the bucket's first sample on.
 */
export interface BucketRow {
  readonly bucket: number;
  readonly mn: number;
  readonly mx: number;
  readonly av: number;
  readonly n: number;
  readonly last: number;
  /** Time of the bucket's first sample, ms. */
  readonly first: number;
  readonly area: number;
  readonly held: number;
}

/**
 * The points of a numeric series, with the time-weighted average of each bucket: the lead-in from
 * the bucket start to its first sample is held at the value in force before it (the previous
 * bucket's last value, or `initial` for the first), so a value that stood for most of a bucket
 * weighs most. Without a value before it, the average starts at the bucket's first sample.
 */
export function numericPoints(
  rows: readonly BucketRow[],
  initial: number | undefined,
  range: TimeRange,
  width: number,
): NumericPoint[] {
  let previous = initial;
  return rows.map((r) => {
    const start = range.from + r.bucket * width;
    const leadIn = previous === undefined ? 0 : Math.max(0, r.first - start);
    const area = r.area + (previous ?? 0) * leadIn;
    const held = r.held + leadIn;
    previous = r.last;
    return {
      t: iso(start),
      min: r.mn,
      max: r.mx,
      avg: r.av,
      twa: held > 0 ? area / held : r.last,
      last: r.last,
      count: r.n,
    };
  });
}

/** A boolean tag's series: its samples in the range and the sample in force before it. */
export function booleanSeries(
  tag: HistorianTag,
  q: HistoryQuery,
  before: { ts: number; value: number } | undefined,
  rows: ReadonlyArray<{ ts: number; value: number }>,
): BooleanSeries {
  const { points, bucketMs } = changePoints(rows, before?.value, q, q.maxPoints);
  return {
    tag: tag.name,
    kind: 'boolean',
    unit: null,
    bucketMs,
    initial: initialValue(before, 'boolean'),
    points,
  };
}

/** A numeric tag's series: its buckets of `width` ms (each engine aggregates them in SQL). */
export function numericSeries(
  tag: HistorianTag,
  q: HistoryQuery,
  before: { ts: number; value: number } | undefined,
  buckets: readonly BucketRow[],
  width: number,
): NumericSeries {
  return {
    tag: tag.name,
    kind: 'number',
    unit: tag.unit,
    bucketMs: width,
    initial: initialValue(before, 'number'),
    points: numericPoints(buckets, before?.value, q, width),
  };
}
