import { setTimeout as sleep } from 'node:timers/promises';
import type { AlarmJournalEntry, HistorianStore } from '@ot-mqtt/historian';
import {
  ALARM_NAMES,
  createAlarmLifecycle,
  type AlarmEvent,
  type AlarmLifecycle,
  type AlarmRecord,
} from '@ot-mqtt/scan-monitor';
import {
  alarmEventsTopic,
  SCHEMA_VERSION,
  type AlarmEventPayload,
  type DataPayload,
} from '@ot-mqtt/tag-model';
import type { Logger } from '@ot-mqtt/app-kit';

/** Publishes one alarm event (QoS 1, not retained); never throws. */
export type PublishAlarmEvent = (topic: string, payload: AlarmEventPayload) => void;

/** What the alarm server reads of a scan. */
export type AlarmScan = Pick<DataPayload, 'machineId' | 'timestamp'> & {
  readonly tags: Pick<DataPayload['tags'], 'alarms'>;
};

/** Options of {@link createAlarmServer}. */
export interface AlarmServerOptions {
  /** Where the journal lives. */
  readonly store: HistorianStore;
  /** Logger. */
  readonly log: Logger;
  /** TOPIC_ROOT. */
  readonly topicRoot: string;
  /** Sends an event to HMIs. */
  readonly publish: PublishAlarmEvent;
  /** Most machines tracked (default 10,000). */
  readonly maxMachines?: number;
  /** How long an acknowledgement waits for its journal line before answering (default 10,000 ms). */
  readonly ackJournalTimeoutMs?: number;
}

/** Outcome of {@link AlarmServer.acknowledge}. */
export type AckOutcome =
  | { readonly ok: true; readonly record: AlarmRecord }
  | {
      readonly ok: false;
      /** `journal-unavailable`: acknowledged in memory, not (yet) in the journal — the database is away. */
      readonly reason:
        'unknown-machine' | 'unknown-alarm' | 'not-unacknowledged' | 'journal-unavailable';
      readonly record?: AlarmRecord;
    };

/** The gateway as ISA-18.2 alarm server: lifecycle per machine, journal, events. */
export interface AlarmServer {
  /**
   * Feeds one committed scan — its machine, time and alarm tags are all it reads — and the topic it
   * came on, for the machine level of the events topic.
   */
  onScan(scan: AlarmScan, topic: string): Promise<void>;
  /** An operator's acknowledgement: journalled and published; never clears an active alarm. */
  acknowledge(machineId: string, alarm: string, user: string, at?: number): Promise<AckOutcome>;
  /** Current records of every machine (or one). */
  records(machineId?: string): AlarmRecord[];
  /** Journal writes that failed at least once (logged, retried until written or stopped). */
  readonly journalFailures: number;
  /** Stops retrying journal writes; resolves once the pending ones are done or given up. */
  close(): Promise<void>;
}

const orNull = <T>(v: T | undefined): T | null => v ?? null;
const orUndefined = <T>(v: T | null) => v ?? undefined;

/** A lifecycle event with the record after it, as a journal line. */
function journalLine(event: AlarmEvent, record: AlarmRecord): AlarmJournalEntry {
  return {
    machineId: event.machineId,
    alarm: event.alarm,
    event: event.type,
    state: event.state,
    at: event.at,
    user: event.user ?? null,
    firstOut: event.firstOut,
    active: record.active,
    raisedAt: orNull(record.raisedAt),
    acknowledgedAt: orNull(record.acknowledgedAt),
    acknowledgedBy: orNull(record.acknowledgedBy),
    clearedAt: orNull(record.clearedAt),
  };
}

/** A journal line as the MQTT event payload (and, with its id, a line of GET /api/alarms/journal). */
export function eventPayload(line: AlarmJournalEntry): AlarmEventPayload {
  return {
    schemaVersion: SCHEMA_VERSION,
    timestamp: new Date(line.at).toISOString(),
    machineId: line.machineId,
    alarm: line.alarm as AlarmEventPayload['alarm'],
    event: line.event,
    state: line.state,
    firstOut: line.firstOut,
    ...(line.user === null ? {} : { user: line.user }),
    ...(line.raisedAt === null ? {} : { raisedAt: new Date(line.raisedAt).toISOString() }),
  };
}

/**
 * Starts the alarm server: rebuilds every alarm's lifecycle from the journal's newest lines (so a
 * restart loses no unacknowledged alarm), then turns committed scans into ISA-18.2 transitions,
 * journals them (before the scan's acknowledgement to the broker is sent) and publishes them.
 */
export async function createAlarmServer(options: AlarmServerOptions): Promise<AlarmServer> {
  const { store, log } = options;
  const latest = await store.latestAlarmEntries();
  const initial: AlarmRecord[] = latest
    .filter((e) => (ALARM_NAMES as readonly string[]).includes(e.alarm))
    .map((e) => ({
      machineId: e.machineId,
      alarm: e.alarm as AlarmRecord['alarm'],
      state: e.state,
      active: e.active,
      raisedAt: orUndefined(e.raisedAt),
      acknowledgedAt: orUndefined(e.acknowledgedAt),
      acknowledgedBy: orUndefined(e.acknowledgedBy),
      clearedAt: orUndefined(e.clearedAt),
      firstOut: e.firstOut,
    }));
  const lifecycle: AlarmLifecycle = createAlarmLifecycle({
    maxMachines: options.maxMachines ?? 10_000,
    initial,
  });
  if (initial.length > 0)
    log.info('alarm states rebuilt from the journal', {
      alarms: initial.length,
      notNormal: initial.filter((r) => r.state !== 'normal').length,
    });

  // Whether each machine's scans come with a machine level in the topic (fleet) or without (the
  // single filler of the architecture document): its events go to the matching topic.
  const fleetLayout = new Map<string, boolean>();
  // Journalled with each event, so a rebuilt server publishes where it did before the restart
  // even when the machine sends no scan (its agent stopped).
  const singleTopic = alarmEventsTopic({ root: options.topicRoot });
  for (const e of latest) {
    if (typeof e.topic === 'string' && fleetLayout.size < (options.maxMachines ?? 10_000))
      fleetLayout.set(e.machineId, e.topic !== singleTopic);
  }
  const topicOf = (machineId: string) =>
    alarmEventsTopic({
      root: options.topicRoot,
      ...(fleetLayout.get(machineId) === false ? {} : { machineId }),
    });

  let journalFailures = 0;
  const stopping = new AbortController();
  /**
   * Writes journal lines, retrying while the database is away: the scans they came from stay
   * unacknowledged meanwhile (their PUBACK waits for this), so nothing is lost if the gateway
   * stops before the database returns — the broker redelivers them and the lifecycle, rebuilt
   * from the journal, raises the transitions again. Resolves false only when stopping.
   */
  const journal = async (lines: readonly AlarmJournalEntry[]): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await store.appendAlarmEvents(lines);
        if (attempt > 0) log.info('alarm journal written again', { attempts: attempt + 1 });
        return true;
      } catch (error) {
        if (attempt === 0) {
          journalFailures++;
          log.error('alarm journal write failed: retrying (the scans stay unacknowledged)', {
            events: lines.length,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        try {
          await sleep(Math.min(5_000, 100 * 2 ** attempt), undefined, {
            signal: stopping.signal,
          });
        } catch {
          return false;
        }
      }
    }
  };
  // One write at a time, in transition order (the journal's order is the lifecycle's). Lines that
  // arrive while a write is under way join the next one: an alarm storm over a fleet costs one
  // transaction per write, not one per transition.
  let chain: Promise<unknown> = Promise.resolve();
  let next: { lines: AlarmJournalEntry[]; written: Promise<boolean> } | undefined;
  const record = (events: readonly AlarmEvent[]): Promise<boolean> => {
    // A scan without transitions has nothing to journal: its acknowledgement waits for nothing.
    if (events.length === 0) return Promise.resolve(!stopping.signal.aborted);
    if (next === undefined) {
      const batch: AlarmJournalEntry[] = [];
      const written = chain.then(async () => {
        next = undefined; // from here on, new lines go to the write after this one
        const ok = await journal(batch);
        // Published once journalled: an HMI never sees a transition the journal does not have.
        if (ok) for (const line of batch) options.publish(line.topic!, eventPayload(line));
        return ok;
      });
      next = { lines: batch, written };
      chain = written;
    }
    for (const e of events) {
      const after = lifecycle.records(e.machineId).find((r) => r.alarm === e.alarm)!;
      next.lines.push({ ...journalLine(e, after), topic: topicOf(e.machineId) });
    }
    return next.written;
  };

  return {
    async onScan(scan, topic) {
      if (!fleetLayout.has(scan.machineId) && fleetLayout.size < (options.maxMachines ?? 10_000))
        fleetLayout.set(scan.machineId, topic !== `${options.topicRoot}/data`);
      const events = lifecycle.update(scan.machineId, scan.tags.alarms, Date.parse(scan.timestamp));
      // Not journalled means stopping: never acknowledge the scan to the broker then.
      if (!(await record(events))) throw new Error('alarm server stopped before journalling');
    },
    async acknowledge(machineId, alarm, user, at = Date.now()) {
      const result = lifecycle.acknowledge(machineId, alarm, user, at);
      if (!result.ok) return result;
      const written = await Promise.race([
        record([result.event]),
        sleep(options.ackJournalTimeoutMs ?? 10_000, false, { ref: false }),
      ]);
      return written
        ? { ok: true, record: result.record }
        : { ok: false, reason: 'journal-unavailable', record: result.record };
    },
    records: (machineId) => lifecycle.records(machineId),
    get journalFailures() {
      return journalFailures;
    },
    async close() {
      stopping.abort();
      await chain;
    },
  };
}
