import { freshnessOf, type Freshness } from '../../live/freshness.js';
import type { MachineSnapshot } from '../../live/fleet-store.js';

/** Columns the overview sorts by. */
export type SortKey = 'attention' | 'machine' | 'rate' | 'alarms' | 'age';
/** The overview's state filter. */
export type StateFilter =
  'all' | 'attention' | 'running' | 'idle' | 'manual' | 'faulted' | 'alarm' | 'stale' | 'offline';

/** What the operator chose in the overview's toolbar. */
export interface OverviewQuery {
  readonly text: string;
  readonly state: StateFilter;
  readonly sort: SortKey;
  readonly descending: boolean;
}

/** Rank of how badly a machine needs an operator (lower = worse), for the default sort. */
function attentionRank(m: MachineSnapshot, freshness: Freshness): number {
  if (freshness === 'offline') return 0;
  if (m.state === 'faulted') return 1;
  if (freshness === 'stale') return 2;
  if (m.activeAlarms.length > 0) return 3;
  if (m.state === 'manual') return 4;
  if (freshness === 'waiting') return 5;
  if (m.state === 'idle') return 6;
  return 7;
}

const collator = new Intl.Collator('en', { numeric: true });

/**
 * Pure: the machine ids to list, filtered and sorted. Runs once a second and on every toolbar
 * change (never per message), so rows do not jump under the operator's pointer.
 */
export function orderMachines(
  machines: readonly MachineSnapshot[],
  query: OverviewQuery,
  now: number,
  brokerUp: boolean,
): string[] {
  const text = query.text.trim().toLowerCase();
  const rows = [];
  for (const m of machines) {
    if (text !== '' && !m.machineId.toLowerCase().includes(text)) continue;
    const freshness = freshnessOf(m, now, brokerUp);
    if (!matches(query.state, m, freshness)) continue;
    rows.push({ m, freshness });
  }
  const direction = query.descending ? -1 : 1;
  rows.sort((a, b) => {
    let order = 0;
    switch (query.sort) {
      case 'attention':
        order = attentionRank(a.m, a.freshness) - attentionRank(b.m, b.freshness);
        break;
      case 'rate':
        order =
          (a.m.scan?.tags.counters.BottlesPerMinute ?? -1) -
          (b.m.scan?.tags.counters.BottlesPerMinute ?? -1);
        break;
      case 'alarms':
        order = a.m.activeAlarms.length - b.m.activeAlarms.length;
        break;
      case 'age':
        order = (b.m.receivedAt ?? -Infinity) - (a.m.receivedAt ?? -Infinity);
        break;
      case 'machine':
        order = collator.compare(a.m.machineId, b.m.machineId);
        break;
    }
    return order * direction || collator.compare(a.m.machineId, b.m.machineId);
  });
  return rows.map((row) => row.m.machineId);
}

function matches(filter: StateFilter, m: MachineSnapshot, freshness: Freshness): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'attention':
      return (
        freshness === 'offline' ||
        freshness === 'stale' ||
        m.state === 'faulted' ||
        m.activeAlarms.length > 0
      );
    case 'alarm':
      return m.activeAlarms.length > 0;
    case 'stale':
      return freshness === 'stale';
    case 'offline':
      return freshness === 'offline';
    default:
      return m.state === filter && freshness !== 'offline';
  }
}

/** Counts per state for the overview's summary line. */
export function summarise(machines: readonly MachineSnapshot[], now: number, brokerUp: boolean) {
  const counts = {
    total: machines.length,
    running: 0,
    idle: 0,
    manual: 0,
    faulted: 0,
    alarm: 0,
    stale: 0,
    offline: 0,
    bottlesPerMinute: 0,
  };
  for (const m of machines) {
    const freshness = freshnessOf(m, now, brokerUp);
    if (freshness === 'offline') counts.offline += 1;
    else if (freshness === 'stale') counts.stale += 1;
    if (freshness !== 'offline' && m.state) counts[m.state] += 1;
    if (m.activeAlarms.length > 0) counts.alarm += 1;
    if (freshness === 'live')
      counts.bottlesPerMinute += m.scan?.tags.counters.BottlesPerMinute ?? 0;
  }
  return counts;
}
