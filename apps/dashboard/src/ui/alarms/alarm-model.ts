import { signal, type ReadonlySignal } from '@preact/signals';
import type { GatewayClient } from '../../gateway/gateway-client.js';
import type { FleetStore } from '../../live/fleet-store.js';
import {
  alarmKey,
  foldAlarmStatus,
  parseAlarmJournal,
  type AlarmStatus,
  type JournalEntry,
} from './alarm-records.js';

/** One row of an active-alarm list: lifecycle from the gateway, activity confirmed by live scans. */
export interface AlarmRow extends AlarmStatus {
  /** Known only from live scans: the gateway's journal could not be read. */
  readonly liveOnly: boolean;
}

/** How far back the journal is read by default (the alarms screen can ask for more). */
const DEFAULT_WINDOW_MS = 24 * 3600_000;

/**
 * The alarm server's view in the page: the journal (from the gateway, the alarm server of
 * issue 12), refreshed when an alarm event arrives over MQTT and every 15 s, merged with the
 * alarm tags of live scans so an alarm is shown even while the gateway is down.
 */
export class AlarmModel {
  private readonly journalSignal = signal<readonly JournalEntry[]>([]);
  private readonly errorSignal = signal<string | undefined>(undefined);
  private readonly ackSignal = signal<Readonly<Record<string, string>>>({});
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private range = { from: 0, to: 0 as number | undefined };

  constructor(
    private readonly gateway: GatewayClient,
    private readonly store: FleetStore,
  ) {}

  get journal(): ReadonlySignal<readonly JournalEntry[]> {
    return this.journalSignal;
  }

  /** Why the journal could not be read, if it could not. */
  get error(): ReadonlySignal<string | undefined> {
    return this.errorSignal;
  }

  /** Outcome of the last acknowledge per alarm key ("acknowledging…", an error). */
  get ackMessages(): ReadonlySignal<Readonly<Record<string, string>>> {
    return this.ackSignal;
  }

  start(): void {
    void this.refresh();
    this.poll = setInterval(() => void this.refresh(), 15_000);
  }

  stop(): void {
    if (this.poll) clearInterval(this.poll);
  }

  /** Debounced refresh: an alarm cascade's events cost one request. */
  eventArrived(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 300);
  }

  /** Reads the journal for `[from, to)` (default: the last 24 h up to now). */
  async refresh(range?: { from: number; to?: number }): Promise<void> {
    if (range) this.range = { from: range.from, to: range.to };
    const from = this.range.from || Date.now() - DEFAULT_WINDOW_MS;
    const params = new URLSearchParams({ from: new Date(from).toISOString() });
    if (this.range.to) params.set('to', new Date(this.range.to).toISOString());
    const result = await this.gateway.get<unknown>(`/api/alarms?${params}`);
    if (!result.ok) {
      this.errorSignal.value =
        result.status === 404
          ? 'the gateway has no alarm journal (GET /api/alarms answered 404)'
          : `alarm journal unavailable: ${result.error}`;
      return;
    }
    this.errorSignal.value = undefined;
    this.journalSignal.value = parseAlarmJournal(result.value);
  }

  /** Active or unacknowledged alarms (of one machine, or all): unacknowledged-active first. */
  rows(machineId?: string): AlarmRow[] {
    const status = foldAlarmStatus(this.journalSignal.value);
    const rows = new Map<string, AlarmRow>();
    for (const [key, s] of status) {
      if (machineId !== undefined && s.machineId !== machineId) continue;
      if (s.active || !s.acknowledged) rows.set(key, { ...s, liveOnly: false });
    }
    const machines =
      machineId === undefined
        ? this.store.snapshots()
        : [this.store.machine(machineId)?.value].filter((m) => m !== undefined);
    for (const m of machines) {
      for (const alarm of m.activeAlarms) {
        const key = alarmKey(m.machineId, alarm);
        const known = rows.get(key);
        if (known) {
          if (!known.active) rows.set(key, { ...known, active: true });
        } else {
          const folded = status.get(key);
          rows.set(key, {
            machineId: m.machineId,
            alarm,
            active: true,
            acknowledged: folded?.acknowledged === true && folded.active,
            ...(m.scan ? { raisedAt: Date.parse(m.scan.timestamp) } : {}),
            liveOnly: this.errorSignal.value !== undefined,
          });
        }
      }
    }
    const rank = (r: AlarmRow) => (r.active && !r.acknowledged ? 0 : !r.acknowledged ? 1 : 2);
    return [...rows.values()].sort(
      (a, b) => rank(a) - rank(b) || (b.raisedAt ?? 0) - (a.raisedAt ?? 0),
    );
  }

  /** Acknowledges through the gateway (the alarm server); acknowledging never clears a latched alarm. */
  async acknowledge(machineId: string, alarm: string, user: string): Promise<boolean> {
    const key = alarmKey(machineId, alarm);
    this.ackSignal.value = { ...this.ackSignal.value, [key]: 'acknowledging…' };
    const result = await this.gateway.post<unknown>(
      `/api/alarms/${encodeURIComponent(machineId)}/${encodeURIComponent(alarm)}/ack`,
      { user },
    );
    const message = result.ok ? `acknowledged by ${user}` : `not acknowledged: ${result.error}`;
    this.ackSignal.value = { ...this.ackSignal.value, [key]: message };
    await this.refresh();
    return result.ok;
  }
}
