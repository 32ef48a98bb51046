import { createIntervalEstimator, type IntervalEstimator } from './interval-estimator.js';
import { createLatencyWindow, type LatencyWindow } from './latency-window.js';
import { plausibilityLimits, type PlausibilityOptions } from './plausibility.js';
import { createRateCounter, type RateCounter } from './rate-counter.js';
import { createSequenceTracker, type SequenceTracker } from './sequence-tracker.js';
import type { MachineStats, TrackerTotals } from './machine-stats.js';
import type { TrackerEvent } from './tracker-event.js';

/** One valid, non-retained scan message as the tracker sees it. All times are epoch milliseconds. */
export interface Observation {
  /** Machine the message came from (payload `machineId`). */
  readonly machineId: string;
  /** Topic kind (`data`, `inputs`, …). */
  readonly kind: string;
  /** Scan sequence number from the payload. */
  readonly sequence: number;
  /** Embedded (publisher) timestamp, or `undefined` when it could not be read. */
  readonly timestamp: number | undefined;
  /** When the message was received. */
  readonly receivedAt: number;
}

/** Online/offline announcement from the agent's connection topic. */
export interface ConnectionObservation {
  /** Machine the announcement is for. */
  readonly machineId: string;
  /** What the agent says. */
  readonly status: 'online' | 'offline';
  /** The agent's publish interval, when announced. */
  readonly publishIntervalMs: number | undefined;
  /** Delivered as a retained message (the state before the subscription). */
  readonly retained: boolean;
  /** When it was received. */
  readonly receivedAt: number;
}

/** Options of {@link createMachineTracker}. */
export interface MachineTrackerOptions {
  /** A machine is stale after this many intervals of silence (default: 2). */
  readonly staleFactor?: number;
  /** Latency samples kept per machine for p50/p99 (default: 1000). */
  readonly latencyWindow?: number;
  /** Window of the message rate in seconds (default: 10). */
  readonly rateWindowSeconds?: number;
  /**
   * Most machines tracked at once (default: 10000). Further machines are shown by the caller but
   * not tracked — existing machines are never pushed out, so a flood of made-up ids cannot erase
   * the history of real ones — until silent machines are forgotten.
   */
  readonly maxMachines?: number;
  /**
   * A machine silent for this long (and for at least 3 of its intervals) is forgotten, freeing its
   * place (default: 900000 = 15 min).
   */
  readonly forgetAfterMs?: number;
  /** When a scan's timestamp or sequence is not believed. */
  readonly plausibility?: PlausibilityOptions;
}

/** Per-machine bookkeeping of sequences, timing, latency and staleness. Pure: time is passed in. */
export interface MachineTracker {
  /** Records a valid message; returns what changed (gap, duplicate, reset, suspect, resumed, …). */
  record(observation: Observation): TrackerEvent[];
  /**
   * Records an invalid message. It never creates a machine: `machineId` (read from the topic, so
   * anyone can make one up) only adds to the count of a machine already tracked.
   */
  recordInvalid(machineId: string | undefined): void;
  /** Records an online/offline announcement; returns an event when the status changed. */
  recordConnection(observation: ConnectionObservation): TrackerEvent[];
  /**
   * Flags machines silent for more than `staleFactor` intervals (each once until data resumes) and
   * forgets machines silent for longer than `forgetAfterMs`. Call it a few times per interval.
   */
  checkStale(now: number): TrackerEvent[];
  /** Statistics of every tracked machine, sorted by machine id. */
  stats(now: number): MachineStats[];
  /** Counts over everything recorded. */
  totals(): TrackerTotals;
}

interface MachineState {
  readonly machineId: string;
  referenceKind: string | undefined;
  sequence: SequenceTracker | undefined;
  messages: number;
  invalid: number;
  scans: number;
  missing: number;
  duplicates: number;
  late: number;
  resets: number;
  suspect: number;
  lastSeenAt: number | undefined;
  lastHeardAt: number;
  stale: boolean;
  connection: 'online' | 'offline' | undefined;
  readonly interval: IntervalEstimator;
  readonly latency: LatencyWindow;
  readonly rate: RateCounter;
}

const FORGOTTEN_IDS_REPORTED = 10;

/**
 * Creates the per-machine tracker behind a scan monitor: scan gaps, duplicates, late arrivals,
 * agent restarts (sequence reset), implausible scans, message rate, end-to-end latency and
 * staleness — for at most `maxMachines` machines, each forgotten after `forgetAfterMs` of silence.
 *
 * Sequences are judged on one reference topic per machine — `data` (one message per scan) as soon
 * as the machine has sent one, otherwise the first topic kind seen — so one lost scan is one gap,
 * not seven.
 *
 * When to use: feed it what {@link decodeMessage} accepted (or use {@link createScanMonitor}, which
 * does both). It keeps no timers: pass the time in, call `checkStale` periodically.
 *
 * @example
 * ```ts
 * import { createMachineTracker } from '@ot-mqtt/scan-monitor';
 * const tracker = createMachineTracker({ maxMachines: 500 });
 * tracker.record({ machineId: 'filler-01', kind: 'data', sequence: 1, timestamp: 0, receivedAt: 2 });
 * tracker.record({ machineId: 'filler-01', kind: 'data', sequence: 4, timestamp: 6000, receivedAt: 6002 });
 * // → [{ type: 'gap', machineId: 'filler-01', kind: 'data', from: 2, to: 3, missing: 2 }]
 * ```
 */
export function createMachineTracker(options: MachineTrackerOptions = {}): MachineTracker {
  const staleFactor = options.staleFactor ?? 2;
  const latencyWindow = options.latencyWindow ?? 1000;
  const rateWindow = options.rateWindowSeconds ?? 10;
  const maxMachines = options.maxMachines ?? 10_000;
  const forgetAfterMs = options.forgetAfterMs ?? 900_000;
  if (!Number.isInteger(maxMachines) || maxMachines < 1)
    throw new RangeError(`maxMachines must be an integer ≥ 1, got ${maxMachines}`);
  if (!(forgetAfterMs > 0)) throw new RangeError(`forgetAfterMs must be > 0, got ${forgetAfterMs}`);
  const limits = plausibilityLimits(options.plausibility);
  const machines = new Map<string, MachineState>();
  let valid = 0;
  let invalid = 0;
  let untracked = 0;
  let forgotten = 0;
  // Whether the limit was reported since the tracker last had room.
  let limitReported = false;

  const machine = (
    machineId: string,
    now: number,
    events: TrackerEvent[],
  ): MachineState | undefined => {
    let state = machines.get(machineId);
    if (state !== undefined) return state;
    if (machines.size >= maxMachines) {
      if (!limitReported) {
        limitReported = true;
        events.push({ type: 'machine-limit', limit: maxMachines, machineId });
      }
      return undefined;
    }
    state = {
      machineId,
      referenceKind: undefined,
      sequence: undefined,
      messages: 0,
      invalid: 0,
      scans: 0,
      missing: 0,
      duplicates: 0,
      late: 0,
      resets: 0,
      suspect: 0,
      lastSeenAt: undefined,
      lastHeardAt: now,
      stale: false,
      connection: undefined,
      interval: createIntervalEstimator(),
      latency: createLatencyWindow(latencyWindow),
      rate: createRateCounter(rateWindow),
    };
    machines.set(machineId, state);
    events.push({ type: 'new-machine', machineId });
    return state;
  };

  const trackSequence = (m: MachineState, o: Observation, events: TrackerEvent[]): boolean => {
    if (m.sequence === undefined || m.referenceKind === undefined) return true;
    const verdict = m.sequence.observe(o);
    const where = { machineId: m.machineId, kind: o.kind };
    switch (verdict.type) {
      case 'first':
        m.scans++;
        return true;
      case 'next':
        m.scans++;
        if (verdict.intervalMs !== undefined) m.interval.addSample(verdict.intervalMs);
        return true;
      case 'gap':
        m.scans++;
        m.missing += verdict.missing;
        events.push({
          type: 'gap',
          ...where,
          from: verdict.from,
          to: verdict.to,
          missing: verdict.missing,
        });
        return true;
      case 'duplicate':
        m.duplicates++;
        events.push({ type: 'duplicate', ...where, sequence: o.sequence });
        return true;
      case 'late':
        m.late++;
        if (verdict.counted) {
          if (m.missing > 0) m.missing--;
          m.scans++;
        }
        events.push({ type: 'late', ...where, sequence: o.sequence });
        return true;
      case 'reset':
        m.resets++;
        m.scans++;
        m.interval.resetSamples();
        events.push({ type: 'reset', ...where, previous: verdict.previous, sequence: o.sequence });
        return true;
      case 'suspect':
        m.suspect++;
        events.push({
          type: 'suspect',
          ...where,
          reason: verdict.reason,
          sequence: o.sequence,
          timestamp: o.timestamp,
          baseline: verdict.baseline,
        });
        return false;
    }
  };

  return {
    record(o) {
      const events: TrackerEvent[] = [];
      valid++;
      const m = machine(o.machineId, o.receivedAt, events);
      if (m === undefined) {
        untracked++;
        return events;
      }
      if (m.stale && m.lastSeenAt !== undefined) {
        events.push({
          type: 'resumed',
          machineId: m.machineId,
          silentForMs: o.receivedAt - m.lastSeenAt,
        });
      }
      m.stale = false;
      m.messages++;
      m.lastSeenAt = o.receivedAt;
      m.lastHeardAt = o.receivedAt;
      m.rate.add(o.receivedAt);
      let believed = true;
      if (m.referenceKind === undefined || (o.kind === 'data' && m.referenceKind !== 'data')) {
        m.referenceKind = o.kind;
        m.sequence = createSequenceTracker(limits);
        believed = trackSequence(m, o, events);
      } else if (o.kind === m.referenceKind) {
        believed = trackSequence(m, o, events);
      } else if (
        o.timestamp !== undefined &&
        o.timestamp - o.receivedAt > limits.futureToleranceMs
      ) {
        believed = false;
      }
      // A timestamp that is not believed would poison the latency percentiles.
      if (believed && o.timestamp !== undefined) m.latency.add(o.receivedAt - o.timestamp);
      return events;
    },
    recordInvalid(machineId) {
      invalid++;
      if (machineId === undefined) return;
      const m = machines.get(machineId);
      if (m !== undefined) m.invalid++;
    },
    recordConnection(o) {
      const events: TrackerEvent[] = [];
      const m = machine(o.machineId, o.receivedAt, []);
      if (m === undefined) return events;
      m.lastHeardAt = Math.max(m.lastHeardAt, o.receivedAt);
      if (o.publishIntervalMs !== undefined) m.interval.announce(o.publishIntervalMs);
      if (m.connection !== o.status || o.retained) {
        events.push({
          type: 'connection',
          machineId: o.machineId,
          status: o.status,
          retained: o.retained,
          publishIntervalMs: o.publishIntervalMs,
        });
      }
      m.connection = o.status;
      // A fresh "online" restarts the silence clock: the machine has not been silent since then.
      if (o.status === 'online' && !o.retained)
        m.lastSeenAt = Math.max(m.lastSeenAt ?? 0, o.receivedAt);
      return events;
    },
    checkStale(now) {
      const events: TrackerEvent[] = [];
      const gone: string[] = [];
      for (const m of machines.values()) {
        const interval = m.interval.current();
        const silentMs = now - m.lastHeardAt;
        if (silentMs > forgetAfterMs && silentMs > 3 * (interval ?? 0)) {
          machines.delete(m.machineId);
          gone.push(m.machineId);
          continue;
        }
        // An agent that said it is offline is not "stale": its silence is explained.
        if (m.stale || m.lastSeenAt === undefined || m.connection === 'offline') continue;
        if (interval === undefined) continue;
        const silentForMs = now - m.lastSeenAt;
        if (silentForMs > staleFactor * interval) {
          m.stale = true;
          events.push({ type: 'stale', machineId: m.machineId, silentForMs, intervalMs: interval });
        }
      }
      if (gone.length > 0) {
        forgotten += gone.length;
        limitReported = false;
        events.push({
          type: 'forgotten',
          count: gone.length,
          machineIds: gone.slice(0, FORGOTTEN_IDS_REPORTED),
          afterMs: forgetAfterMs,
        });
      }
      return events;
    },
    stats(now) {
      return [...machines.values()]
        .sort((a, b) => (a.machineId < b.machineId ? -1 : a.machineId > b.machineId ? 1 : 0))
        .map((m) => {
          const p50 = m.latency.percentile(50);
          const p99 = m.latency.percentile(99);
          return {
            machineId: m.machineId,
            connection: m.connection,
            stale: m.stale,
            messages: m.messages,
            invalid: m.invalid,
            scans: m.scans,
            missing: m.missing,
            duplicates: m.duplicates,
            late: m.late,
            resets: m.resets,
            suspect: m.suspect,
            ratePerSecond: m.rate.rate(now),
            latency:
              p50 === undefined || p99 === undefined
                ? undefined
                : { p50, p99, samples: m.latency.count },
            intervalMs: m.interval.current(),
            lastSeenAt: m.lastSeenAt,
          };
        });
    },
    totals() {
      return { machines: machines.size, maxMachines, valid, invalid, untracked, forgotten };
    },
  };
}
