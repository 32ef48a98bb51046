import type { BottleFillerTags, ConnectionStatus } from '@ot-mqtt/tag-model';
import type {
  AlarmJournalEntry,
  AlarmJournalQuery,
  ScanValues,
  ScanValuesQuery,
  StoredAlarmEntry,
} from './alarm-journal.js';

/** One PLC scan to store: the envelope of a `data` message (a `DataPayload` is one). */
export interface ScanRecord {
  /** Machine id of the envelope. */
  readonly machineId: string;
  /** Scan sequence number (+1 per scan; restarts at 0 when the agent restarts). */
  readonly sequence: number;
  /** Time of the scan: ISO-8601 UTC text, a `Date`, or milliseconds since the epoch. */
  readonly timestamp: string | Date | number;
  /** The complete tag set of the scan. */
  readonly tags: BottleFillerTags;
}

/** Outcome of {@link HistorianStore.writeScans}. */
export interface WriteResult {
  /** Scans stored now. */
  readonly stored: number;
  /** Scans that were already stored (a redelivery: same machine, sequence and time) and were skipped. */
  readonly duplicates: number;
  /** Tag samples written (on change beyond the deadband, or as heartbeat). */
  readonly samples: number;
}

/** A stored scan as `/scans` lists it. */
export interface ScanRef {
  /** Time of the scan, ISO-8601 UTC with milliseconds. */
  readonly timestamp: string;
  /** Sequence number of the scan. */
  readonly sequence: number;
}

/** The newest stored scan of a machine with every tag flat by name (`FillLevel`, `Fault`, …). */
export interface LatestScan {
  /** Time of the scan, ISO-8601 UTC with milliseconds. */
  readonly timestamp: string;
  /** Sequence number of the scan. */
  readonly sequence: number;
  /** Every tag of the scan by its tag-model name. */
  readonly tags: Readonly<Record<string, number | boolean>>;
}

/** What the store knows about one machine. */
export interface MachineRecord {
  /** Machine id. */
  readonly machineId: string;
  /** Time of its newest stored scan (ISO-8601 UTC), or `null` before the first one. */
  readonly lastSeen: string | null;
  /** Sequence number of its newest stored scan, or `null`. */
  readonly lastSequence: number | null;
  /** When the newest scan was received (ISO-8601 UTC), or `null`. */
  readonly lastReceived: string | null;
  /** Last retained connection state of its agent, or `null` if never seen. */
  readonly connection: ConnectionStatus | null;
  /** The agent's announced publish interval in ms, or `null`. */
  readonly publishIntervalMs: number | null;
  /** Newest scan (tags flat by name), or `null`. */
  readonly latest: LatestScan | null;
}

/** A half-open time range `[from, to)` in milliseconds since the epoch (UTC). */
export interface TimeRange {
  /** Start, inclusive. */
  readonly from: number;
  /** End, exclusive. */
  readonly to: number;
}

/** Query of {@link HistorianStore.history}. */
export interface HistoryQuery extends TimeRange {
  /** Machine id. */
  readonly machineId: string;
  /** Tag names (tag-model names, e.g. `FillLevel`). */
  readonly tags: readonly string[];
  /** Most buckets (numbers) or change points (booleans) per tag. */
  readonly maxPoints: number;
}

/** One bucket of a numeric series. */
export interface NumericPoint {
  /** Bucket start, ISO-8601 UTC. */
  readonly t: string;
  /** Smallest stored value in the bucket. */
  readonly min: number;
  /** Largest stored value in the bucket. */
  readonly max: number;
  /** Mean of the stored values in the bucket (each stored value counts once, however long it held). */
  readonly avg: number;
  /**
   * Time-weighted average over the bucket: each value weighted by how long it was in force (until
   * the next stored value; the newest until the machine's newest scan). What to chart for tags
   * stored on change, where `avg` over-weights the moments the value moved.
   */
  readonly twa: number;
  /** Last stored value in the bucket. */
  readonly last: number;
  /** Number of stored values in the bucket. */
  readonly count: number;
}

/** A change of a boolean tag. */
export interface ChangePoint {
  /** Time of the change (or of the bucket, when changes were merged), ISO-8601 UTC. */
  readonly t: string;
  /** Value from this time on. */
  readonly value: boolean;
}

/** The value in force at the start of the range (the last stored before it), if any. */
export interface InitialValue {
  /** When it was stored, ISO-8601 UTC. */
  readonly t: string;
  /** The value. */
  readonly value: number | boolean;
}

/** Trend of one numeric tag, downsampled into fixed buckets. */
export interface NumericSeries {
  /** Tag name. */
  readonly tag: string;
  /** `'number'`. */
  readonly kind: 'number';
  /** Engineering unit from the tag model. */
  readonly unit: string | null;
  /** Bucket width in ms. */
  readonly bucketMs: number;
  /** Value in force at `from`, or `null`. */
  readonly initial: InitialValue | null;
  /** Non-empty buckets in time order. */
  readonly points: readonly NumericPoint[];
}

/** Trend of one boolean tag as change points. */
export interface BooleanSeries {
  /** Tag name. */
  readonly tag: string;
  /** `'boolean'`. */
  readonly kind: 'boolean';
  /** Always `null` (booleans have no unit). */
  readonly unit: null;
  /** Width in ms of the buckets changes were merged into when there were more than `maxPoints`; 0 if none. */
  readonly bucketMs: number;
  /** Value in force at `from`, or `null`. */
  readonly initial: InitialValue | null;
  /** Changes in time order. */
  readonly points: readonly ChangePoint[];
}

/** One tag's series in a {@link HistoryResult}. */
export type TagSeries = NumericSeries | BooleanSeries;

/** Result of {@link HistorianStore.history}. */
export interface HistoryResult {
  /** Machine id. */
  readonly machineId: string;
  /** Range start, ISO-8601 UTC (inclusive). */
  readonly from: string;
  /** Range end, ISO-8601 UTC (exclusive). */
  readonly to: string;
  /** One series per requested tag, in request order. */
  readonly series: readonly TagSeries[];
}

/** A raise or clear of an alarm tag. */
export interface AlarmTransition {
  /** Machine id. */
  readonly machineId: string;
  /** Alarm tag name (`Overfill`, …). */
  readonly alarm: string;
  /** `'raised'` (became true) or `'cleared'` (became false). */
  readonly transition: 'raised' | 'cleared';
  /** When, ISO-8601 UTC. */
  readonly timestamp: string;
}

/** Query of {@link HistorianStore.alarmTransitions}. */
export interface AlarmQuery extends TimeRange {
  /** Only this machine (default: all). */
  readonly machineId?: string;
  /** Most transitions returned, newest last (default 10,000). */
  readonly limit?: number;
}

/** Outcome of {@link HistorianStore.enforceRetention}. */
export interface RetentionResult {
  /** Data before this time (ISO-8601 UTC) is gone. */
  readonly cutoff: string;
  /** Partitions dropped (PostgreSQL) or rows deleted (SQLite). */
  readonly removed: number;
}

/**
 * The historian's storage: one interface, several engines ({@link openHistorian} picks one from a
 * path or URL). Scans are stored idempotently (a redelivered scan is recognised and skipped), tag
 * values on change beyond a deadband plus a heartbeat write, and every scan's time and sequence so
 * gaps stay visible.
 */
export interface HistorianStore {
  /** `'sqlite'`, `'postgres'` or `'timescaledb'`. */
  readonly engine: 'sqlite' | 'postgres' | 'timescaledb';
  /** Where the data lives, safe to print (a file path, or the URL without its password). */
  readonly location: string;
  /**
   * Stores scans in one transaction: all of them or none (the promise rejects). Resolving means
   * committed, so a caller may acknowledge the messages the scans came from.
   */
  writeScans(scans: readonly ScanRecord[]): Promise<WriteResult>;
  /** Records an agent's retained connection state (`online`/`offline`). */
  setConnection(
    machineId: string,
    status: ConnectionStatus,
    timestamp: string | Date | number,
    publishIntervalMs?: number,
  ): Promise<void>;
  /** Every machine the store knows, sorted by id. */
  listMachines(): Promise<MachineRecord[]>;
  /** One machine, or `undefined` if unknown. */
  getMachine(machineId: string): Promise<MachineRecord | undefined>;
  /** Trend of tags of one machine, downsampled; `undefined` if the machine is unknown. */
  history(query: HistoryQuery): Promise<HistoryResult | undefined>;
  /** Stored scans of a machine in time order (at most `limit`); `undefined` if the machine is unknown. */
  scans(machineId: string, range: TimeRange, limit: number): Promise<ScanRef[] | undefined>;
  /** Raises and clears of alarm tags in time order. */
  alarmTransitions(query: AlarmQuery): Promise<AlarmTransition[]>;
  /**
   * Appends lines to the alarm journal in one transaction (the alarm server's transitions).
   * Resolving means committed.
   */
  appendAlarmEvents(entries: readonly AlarmJournalEntry[]): Promise<void>;
  /** Journal lines in `[from, to)`, filtered; the newest `limit`, in time order. */
  alarmJournal(query: AlarmJournalQuery): Promise<StoredAlarmEntry[]>;
  /** The newest journal line of every (machine, alarm): the alarm states to rebuild from. */
  latestAlarmEntries(): Promise<StoredAlarmEntry[]>;
  /**
   * The values of `tags` in force at every stored scan of a machine in `[from, to)`, plus the last
   * scan before `from` (so a computation over the range knows the state at its start); `undefined`
   * if the machine is unknown. What OEE is computed from.
   */
  tagValuesAtScans(query: ScanValuesQuery): Promise<ScanValues[] | undefined>;
  /** Drops data older than `retentionDays` before `now` (of the alarm journal: all but each alarm's newest line). */
  enforceRetention(retentionDays: number, now?: number): Promise<RetentionResult>;
  /** Checks the database answers and accepts writes; rejects otherwise. */
  checkWritable(): Promise<void>;
  /** Closes the connection(s). */
  close(): Promise<void>;
}
