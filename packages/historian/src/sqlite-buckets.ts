import type Database from 'better-sqlite3';
import type { BucketRow } from './series.js';

interface State {
  out: BucketRow[];
  bucket: number;
  mn: number;
  mx: number;
  sum: number;
  n: number;
  area: number;
  held: number;
  first: number;
  lastValue: number;
  lastTs: number;
  bucketEnd: number;
  end: number;
}

/**
 * Registers `historian_buckets(ts, value, from, width, end)`: an aggregate that, fed one tag's
 * samples in time order, returns its {@link BucketRow}s as JSON — min, max, mean, count, last and
 * the time-weighted sums in one pass. Measured: SQLite's own `LEAD()` window plus `GROUP BY` took
 * 3–4× as long as a plain `GROUP BY` for a day of one tag; this takes about as long as the plain
 * one, since the samples come off the primary key already in time order and nothing is sorted.
 */
export function registerBucketAggregate(db: Database.Database): void {
  const close = (s: State, until: number) => {
    const held = Math.max(0, Math.min(until, s.bucketEnd) - s.lastTs);
    s.area += s.lastValue * held;
    s.held += held;
  };
  // `end`: the newest value holds until the end of the data (the machine's newest scan, or the
  // range end if sooner).
  const step = (
    s: State,
    ts: number,
    value: number,
    from: number,
    width: number,
    end: number,
  ): void => {
    s.end = end;
    if (s.n > 0) close(s, ts);
    const bucket = Math.floor((ts - from) / width);
    if (bucket !== s.bucket) {
      if (s.n > 0) flush(s);
      Object.assign(s, { bucket, mn: value, mx: value, sum: 0, n: 0, area: 0, held: 0 });
      s.first = ts;
      s.bucketEnd = from + (bucket + 1) * width;
    }
    if (value < s.mn) s.mn = value;
    if (value > s.mx) s.mx = value;
    s.sum += value;
    s.n++;
    s.lastValue = value;
    s.lastTs = ts;
  };
  db.aggregate<State>('historian_buckets', {
    start: (): State => ({
      out: [],
      bucket: -1,
      mn: 0,
      mx: 0,
      sum: 0,
      n: 0,
      area: 0,
      held: 0,
      first: 0,
      lastValue: 0,
      lastTs: 0,
      bucketEnd: 0,
      end: 0,
    }),
    // The typings allow one argument per row; SQLite passes all five.
    step: step as unknown as (total: State, next: State) => void,
    result: (s: State) => {
      if (s.n > 0) {
        close(s, s.end);
        flush(s);
        s.n = 0;
      }
      return JSON.stringify(s.out);
    },
  });
  function flush(s: State): void {
    s.out.push({
      bucket: s.bucket,
      mn: s.mn,
      mx: s.mx,
      av: s.sum / s.n,
      n: s.n,
      last: s.lastValue,
      first: s.first,
      area: s.area,
      held: s.held,
    });
  }
}
