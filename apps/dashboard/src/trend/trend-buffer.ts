/**
 * A bounded time series (seconds since epoch, value) for one trend: backfilled points and live
 * points share one ring, the oldest dropped when full, so a detail view left open all night holds
 * the same memory as after a minute (FUXA/Node-RED dashboards grow without bound: what we avoid).
 */
export class TrendBuffer {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Time of the newest point, or -Infinity when empty. */
  get lastTime(): number {
    return this.count === 0
      ? -Infinity
      : this.times[(this.start + this.count - 1) % this.capacity]!;
  }

  /** Appends a point; points not newer than the last one are ignored (redeliveries, clock steps). */
  push(time: number, value: number): void {
    if (!Number.isFinite(value) || time <= this.lastTime) return;
    const index = (this.start + this.count) % this.capacity;
    this.times[index] = time;
    this.values[index] = value;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /**
   * Puts history in front of what is there: points older than the oldest held, in time order.
   * Live points that arrived while the history was being fetched stay.
   */
  prepend(points: ReadonlyArray<readonly [number, number]>): void {
    const firstHeld = this.count === 0 ? Infinity : this.times[this.start]!;
    const older = points.filter(([t, v]) => t < firstHeld && Number.isFinite(v));
    const held = this.toArrays();
    this.start = 0;
    this.count = 0;
    const all: Array<readonly [number, number]> = [...older];
    for (let i = 0; i < held[0].length; i += 1) all.push([held[0][i]!, held[1][i]!]);
    for (const [t, v] of all.slice(-this.capacity)) this.push(t, v);
  }

  /** Copies out `[times, values]` in time order (uPlot's data layout). */
  toArrays(): [number[], number[]] {
    const t: number[] = new Array<number>(this.count);
    const v: number[] = new Array<number>(this.count);
    for (let i = 0; i < this.count; i += 1) {
      const index = (this.start + i) % this.capacity;
      t[i] = this.times[index]!;
      v[i] = this.values[index]!;
    }
    return [t, v];
  }
}
