/**
 * How much an operator may trust a machine's values right now:
 * - `live` — a scan arrived within two publish intervals over a connected broker;
 * - `stale` — no scan for two intervals, or the broker connection is down (values are old, shown as such);
 * - `offline` — the agent announced itself offline (retained connection topic / last will);
 * - `waiting` — nothing received yet.
 */
export type Freshness = 'live' | 'stale' | 'offline' | 'waiting';

/** What {@link freshnessOf} reads of a machine. */
export interface FreshnessInput {
  /** When the last valid scan arrived (page clock, ms). */
  readonly receivedAt: number | undefined;
  /** Publish interval in ms (announced by the agent or measured). */
  readonly intervalMs: number;
  /** The agent's retained connection status. */
  readonly connection: 'online' | 'offline' | 'unknown';
}

/** Scans missed before a machine counts as stale (the issue: "no scan for two intervals"). */
export const STALE_AFTER_INTERVALS = 2;

/** Pure: the freshness of one machine at `now`. */
export function freshnessOf(machine: FreshnessInput, now: number, brokerUp: boolean): Freshness {
  if (machine.connection === 'offline') return 'offline';
  if (machine.receivedAt === undefined) return 'waiting';
  if (!brokerUp) return 'stale';
  return now - machine.receivedAt > STALE_AFTER_INTERVALS * machine.intervalMs ? 'stale' : 'live';
}

/** "3 s", "4 min", "2 h", "5 d": the age of a value at a glance. */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}
