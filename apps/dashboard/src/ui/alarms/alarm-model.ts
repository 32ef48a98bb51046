import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { MqttMessage } from '@ot-mqtt/mqtt-client';
import type { GatewayClient } from '../../gateway/gateway-client.js';
import type { FleetStore } from '../../live/fleet-store.js';
import {
  alarmKey,
  applyJournalEntry,
  compareAlarmRecords,
  parseAlarmJournal,
  parseAlarmRecords,
  type AlarmRecord,
  type JournalEntry,
} from './alarm-records.js';

/** One row of an alarm list: the alarm server's lifecycle, or only what live scans say. */
export interface AlarmRow extends AlarmRecord {
  /** Known only from live scans: the alarm server has no record of it (yet, or is unreachable). */
  readonly liveOnly: boolean;
}

/** Whether this page may acknowledge, and why not. */
export interface AckPermission {
  readonly allowed: boolean;
  readonly reason?: string;
}

/** How far back the journal is read by default (the alarms screen can ask for another range). */
const DEFAULT_WINDOW_MS = 24 * 3600_000;
const POLL_MS = 15_000;
const decoder = new TextDecoder();

/**
 * The alarm server's view in the page (the gateway, issue 12): the lifecycle of every alarm that
 * is not normal (`GET /api/alarms`) and, while the alarms screen is open, the journal
 * (`GET /api/alarms/journal`). Alarm events over MQTT update both at once and trigger a debounced
 * re-read; a poll every 15 s catches anything missed. Alarms that live scans show but the server
 * does not (gateway down) are listed too, marked as such, so an alarm is never hidden.
 */
export class AlarmModel {
  private readonly recordsSignal = signal<ReadonlyMap<string, AlarmRecord>>(new Map());
  private readonly journalSignal = signal<readonly JournalEntry[]>([]);
  private readonly errorSignal = signal<string | undefined>(undefined);
  private readonly journalErrorSignal = signal<string | undefined>(undefined);
  private readonly ackSignal = signal<Readonly<Record<string, string>>>({});
  private readonly deniedSignal = signal<string | undefined>(undefined);
  /** Who acknowledges when no broker account is logged in (typed beside the token). */
  readonly operatorName = signal('');
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private journalWatchers = 0;
  private range: { from?: number; to?: number } = {};

  constructor(
    private readonly gateway: GatewayClient,
    private readonly store: FleetStore,
    private readonly brokerUser: ReadonlySignal<string | undefined>,
  ) {}

  /** The journal of the range asked for (oldest first); read only while someone watches it. */
  get journal(): ReadonlySignal<readonly JournalEntry[]> {
    return this.journalSignal;
  }

  /** Why the alarm server could not be read, if it could not. */
  get error(): ReadonlySignal<string | undefined> {
    return this.errorSignal;
  }

  /** Why the journal of the range asked for could not be read (then it is shown empty). */
  get journalError(): ReadonlySignal<string | undefined> {
    return this.journalErrorSignal;
  }

  /** Outcome of the last acknowledge per alarm key ("acknowledging…", an error). */
  get ackMessages(): ReadonlySignal<Readonly<Record<string, string>>> {
    return this.ackSignal;
  }

  /**
   * The gateway acknowledges only with its operator token (GATEWAY_OPERATOR_TOKEN): the page
   * offers the button once a token was typed, and withdraws it when the gateway refuses it.
   */
  readonly permission: ReadonlySignal<AckPermission> = computed(() => {
    if (this.deniedSignal.value) return { allowed: false, reason: this.deniedSignal.value };
    if (!this.gateway.token.value)
      return {
        allowed: false,
        reason: 'Acknowledging needs the gateway operator token (GATEWAY_OPERATOR_TOKEN).',
      };
    if (!this.ackUser())
      return { allowed: false, reason: 'Enter the name to acknowledge as (for the journal).' };
    return { allowed: true };
  });

  start(): void {
    void this.refresh();
    this.poll = setInterval(() => void this.refresh(), POLL_MS);
  }

  stop(): void {
    if (this.poll) clearInterval(this.poll);
  }

  /** Whether the gateway refused the token given (a new one is needed). */
  readonly tokenRefused: ReadonlySignal<boolean> = computed(
    () => this.deniedSignal.value !== undefined,
  );

  /** Enables acknowledging with the gateway operator `token` (memory only); undefined forgets it. */
  useToken(token: string | undefined): void {
    this.gateway.token.value = token === '' ? undefined : token;
    this.deniedSignal.value = undefined;
    void this.refresh();
  }

  /** Reads the journal while the returned function has not been called (the alarms screen). */
  watchJournal(range?: { from?: number; to?: number }): () => void {
    if (range) this.range = range;
    this.journalWatchers += 1;
    void this.refresh();
    return () => {
      this.journalWatchers -= 1;
    };
  }

  /** Reads the journal of `[from, to)` (default: the last 24 h up to now). */
  async loadJournal(range: { from?: number; to?: number }): Promise<void> {
    this.range = range;
    await this.readJournal();
  }

  /** An alarm event from MQTT: shown at once, then confirmed by a (debounced) re-read. */
  onEvent(message: MqttMessage): void {
    let body: unknown;
    try {
      body = JSON.parse(decoder.decode(message.payload));
    } catch {
      body = undefined;
    }
    const [entry] = parseAlarmJournal(body);
    if (!entry) {
      this.store.problem(
        message.topic,
        'alarm event is not a valid alarm event payload (machineId, alarm, event, state, timestamp)',
        Date.now(),
      );
      return;
    }
    const key = alarmKey(entry.machineId, entry.alarm);
    const records = new Map(this.recordsSignal.value);
    records.set(key, applyJournalEntry(records.get(key), entry));
    this.recordsSignal.value = records;
    if (
      this.journalWatchers > 0 &&
      this.range.to === undefined &&
      entry.at >= (this.range.from ?? 0) &&
      this.journalErrorSignal.value === undefined
    )
      this.journalSignal.value = [...this.journalSignal.value, entry].slice(-20_000);
    if (this.refreshTimer) return;
    // A cascade's events cost one request.
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 300);
  }

  async refresh(): Promise<void> {
    const result = await this.gateway.get<unknown>('/api/alarms');
    if (!result.ok) {
      this.errorSignal.value =
        result.status === 404
          ? 'this gateway has no alarm server (GET /api/alarms answered 404): alarms are shown from live scans only'
          : `alarm server unavailable — ${result.error}; alarms are shown from live scans only`;
    } else {
      this.errorSignal.value = undefined;
      this.recordsSignal.value = new Map(
        parseAlarmRecords(result.value).map((r) => [alarmKey(r.machineId, r.alarm), r]),
      );
    }
    if (this.journalWatchers > 0) await this.readJournal();
  }

  /** Alarms not normal (of one machine, or all), in {@link compareAlarmRecords} order. */
  rows(machineId?: string): AlarmRow[] {
    const rows = new Map<string, AlarmRow>();
    for (const [key, r] of this.recordsSignal.value) {
      if (r.state === 'normal' || (machineId !== undefined && r.machineId !== machineId)) continue;
      rows.set(key, { ...r, liveOnly: false });
    }
    const machines =
      machineId === undefined
        ? this.store.snapshots()
        : [this.store.machine(machineId)?.value].filter((m) => m !== undefined);
    for (const m of machines) {
      for (const alarm of m.activeAlarms) {
        const key = alarmKey(m.machineId, alarm);
        if (rows.has(key)) continue;
        const known = this.recordsSignal.value.get(key);
        rows.set(key, {
          machineId: m.machineId,
          alarm,
          state: 'unacknowledged-active',
          active: true,
          acknowledged: false,
          firstOut: known?.firstOut ?? false,
          ...(m.scan ? { raisedAt: Date.parse(m.scan.timestamp) } : {}),
          liveOnly: true,
        });
      }
    }
    return [...rows.values()].sort(compareAlarmRecords);
  }

  /** Acknowledges through the alarm server; acknowledging never clears an active alarm (reset does). */
  async acknowledge(machineId: string, alarm: string): Promise<boolean> {
    const key = alarmKey(machineId, alarm);
    const user = this.ackUser();
    if (!this.permission.value.allowed || !user) return false;
    this.setAckMessage(key, 'acknowledging…');
    const result = await this.gateway.post<unknown>(
      `/api/alarms/${encodeURIComponent(machineId)}/${encodeURIComponent(alarm)}/ack`,
      { user },
    );
    if (result.ok) {
      this.upsert(result.value);
      this.setAckMessage(key, `acknowledged by ${user}`);
    } else if (result.status === 401 || result.status === 403) {
      this.deniedSignal.value = `The gateway refused to acknowledge with this token (${result.error}).`;
      this.setAckMessage(key, `not acknowledged: ${result.error}`);
    } else if (result.status === 409) {
      const record = (result.body as { record?: unknown } | undefined)?.record;
      this.upsert(record);
      this.setAckMessage(key, `nothing to acknowledge: ${result.error}`);
    } else {
      this.setAckMessage(key, `not acknowledged: ${result.error}`);
    }
    await this.refresh();
    return result.ok;
  }

  private ackUser(): string | undefined {
    const name = this.brokerUser.value ?? this.operatorName.value;
    return name.trim() === '' ? undefined : name.trim().slice(0, 64);
  }

  private upsert(body: unknown): void {
    const [record] = parseAlarmRecords([body]);
    if (!record) return;
    const records = new Map(this.recordsSignal.value);
    records.set(alarmKey(record.machineId, record.alarm), record);
    this.recordsSignal.value = records;
  }

  private setAckMessage(key: string, message: string): void {
    this.ackSignal.value = { ...this.ackSignal.value, [key]: message };
  }

  private async readJournal(): Promise<void> {
    const from = this.range.from ?? Date.now() - DEFAULT_WINDOW_MS;
    const params = new URLSearchParams({ from: new Date(from).toISOString() });
    if (this.range.to !== undefined) params.set('to', new Date(this.range.to).toISOString());
    const result = await this.gateway.get<unknown>(`/api/alarms/journal?${params}`);
    if (!result.ok) {
      // Never the previous range's entries under the new filters.
      this.journalSignal.value = [];
      this.journalErrorSignal.value = `alarm journal not read: ${result.error}`;
      return;
    }
    this.journalErrorSignal.value = undefined;
    this.journalSignal.value = parseAlarmJournal(result.value);
  }
}
