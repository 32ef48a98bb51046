import type { AlarmTransition } from './historian-store.js';
import { iso } from './series.js';

/** The stored 0/1 samples of one alarm tag of one machine in a range, as either engine reads them. */
export interface AlarmSamples {
  readonly machineId: string;
  readonly alarm: string;
  /** The value in force before the range (none stored: 0, not raised). */
  readonly before: number | undefined;
  readonly rows: ReadonlyArray<{ ts: number; value: number }>;
}

/**
 * The raised/cleared transitions in alarm tags' samples: a sample that differs from the value
 * before it (heartbeat repeats are not transitions). Ordered by time, then machine; the newest
 * `limit` are kept.
 */
export function alarmTransitions(
  samples: readonly AlarmSamples[],
  limit = 10_000,
): AlarmTransition[] {
  const out: AlarmTransition[] = [];
  for (const { machineId, alarm, before, rows } of samples) {
    let previous = before ?? 0;
    for (const r of rows) {
      if (r.value === previous) continue;
      out.push({
        machineId,
        alarm,
        transition: r.value !== 0 ? 'raised' : 'cleared',
        timestamp: iso(Math.round(r.ts)),
      });
      previous = r.value;
    }
  }
  out.sort(
    (a, b) => a.timestamp.localeCompare(b.timestamp) || a.machineId.localeCompare(b.machineId),
  );
  return out.slice(-limit);
}
