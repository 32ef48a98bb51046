import type { TimeRange } from './historian-store.js';

/** ISA-18.2 state of an alarm (as `@ot-mqtt/scan-monitor`'s alarm lifecycle names them). */
export type JournalAlarmState =
  'normal' | 'unacknowledged-active' | 'acknowledged-active' | 'unacknowledged-returned-to-normal';

/**
 * One line of the alarm journal: a lifecycle transition of one alarm of one machine, with the
 * alarm's whole record after it — so the newest line of an alarm is its current state, and the
 * alarm server rebuilds its lifecycle from the journal after a restart. Times are epoch ms.
 */
export interface AlarmJournalEntry {
  /** Machine id. */
  readonly machineId: string;
  /** Alarm tag name (`Overfill`, …). */
  readonly alarm: string;
  /** What happened. */
  readonly event: 'raised' | 'acknowledged' | 'cleared';
  /** State after the transition. */
  readonly state: JournalAlarmState;
  /** When it happened (scan time for raised/cleared, operator time for acknowledged). */
  readonly at: number;
  /** Who acknowledged (acknowledged only), else `null`. */
  readonly user: string | null;
  /** The occurrence opened its machine's cascade (first-out). */
  readonly firstOut: boolean;
  /** The alarm tag is true after the transition. */
  readonly active: boolean;
  /** When the occurrence was raised. */
  readonly raisedAt: number | null;
  /** When the occurrence was acknowledged. */
  readonly acknowledgedAt: number | null;
  /** Who acknowledged the occurrence. */
  readonly acknowledgedBy: string | null;
  /** When the occurrence's tag went false. */
  readonly clearedAt: number | null;
  /** The MQTT topic the event was published on, if it was (null for lines written without one). */
  readonly topic?: string | null;
}

/** A journal line as stored: with the id the store gave it (ascending in insertion order). */
export interface StoredAlarmEntry extends AlarmJournalEntry {
  /** Journal id. */
  readonly id: number;
}

/** Query of `HistorianStore.alarmJournal`: a half-open time range and optional filters. */
export interface AlarmJournalQuery extends TimeRange {
  /** Only this machine. */
  readonly machineId?: string;
  /** Only this alarm tag. */
  readonly alarm?: string;
  /** Only this kind of transition. */
  readonly event?: AlarmJournalEntry['event'];
  /** Most lines returned: the newest ones, in time order (default 10,000). */
  readonly limit?: number;
}

/** Query of `HistorianStore.tagValuesAtScans`. */
export interface ScanValuesQuery extends TimeRange {
  /** Machine id. */
  readonly machineId: string;
  /** Tag names (tag-model names). */
  readonly tags: readonly string[];
  /** Most scans returned (default 100,000); the first ones are kept. */
  readonly limit?: number;
}

/** The values of some tags in force at one stored scan. */
export interface ScanValues {
  /** Scan time, epoch ms. */
  readonly at: number;
  /** Scan sequence number. */
  readonly sequence: number;
  /** Tag values by name (booleans as booleans); a tag never stored before the scan is absent. */
  readonly values: Readonly<Record<string, number | boolean>>;
}
