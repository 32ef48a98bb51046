/** One tag's history as the trend needs it: `[secondsSinceEpoch, value]`, oldest first. */
export type HistorySeries = Array<readonly [number, number]>;

/**
 * Reads the gateway's `/api/machines/{id}/history` answer into one series per tag. Per bucket the
 * gateway gives min/max/avg/last for numbers; the trend draws `avg` (else `last`/`value`).
 * Tolerant of the layouts a REST history commonly takes (`{ series: { Tag: [...] } }`,
 * `{ tags: { Tag: [...] } }`, `{ series: [{ tag, points }] }`; points as objects or `[t, v]`),
 * and of bad points, which it skips: one bad bucket must not blank a trend.
 */
export function parseHistory(body: unknown, tags: readonly string[]): Map<string, HistorySeries> {
  const out = new Map<string, HistorySeries>();
  const record = isRecord(body) ? body : {};
  const container = record.series ?? record.tags ?? record;
  for (const tag of tags) {
    let raw: unknown;
    if (Array.isArray(container)) {
      const entry = container.find(
        (item) => isRecord(item) && (item.tag === tag || item.name === tag),
      );
      raw = isRecord(entry) ? (entry.points ?? entry.buckets ?? entry.data) : undefined;
    } else if (isRecord(container)) {
      raw = container[tag];
      if (isRecord(raw)) raw = raw.points ?? raw.buckets ?? raw.data;
    }
    out.set(tag, Array.isArray(raw) ? raw.flatMap(toPoint) : []);
  }
  return out;
}

function toPoint(item: unknown): Array<readonly [number, number]> {
  let time: unknown;
  let value: unknown;
  if (Array.isArray(item)) [time, value] = item;
  else if (isRecord(item)) {
    time = item.t ?? item.time ?? item.timestamp ?? item.bucket ?? item.from ?? item.start;
    value = item.avg ?? item.last ?? item.value ?? item.v;
  } else return [];
  const ms =
    typeof time === 'number'
      ? time > 1e11
        ? time
        : time * 1000
      : typeof time === 'string'
        ? Date.parse(time)
        : NaN;
  const v = typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(ms) && Number.isFinite(v) ? [[ms / 1000, v]] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
