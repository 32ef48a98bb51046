import { createLatencyWindow, type LatencyWindow } from './latency-window.js';

/** One valid, non-retained message as the tracker sees it. All times are epoch milliseconds. */
export interface Observation {
  /** Machine the message came from (payload `machineId`). */
  readonly machineId: string;
  /** Topic kind (`data`, `inputs`, …). */
  readonly kind: string;
  /** Scan sequence number from the payload. */
  readonly sequence: number;
  /** Embedded (publisher) timestamp, or `undefined` when it could not be read. */
  readonly timestamp: number | undefined;
  /** When the viewer received the message. */
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
  /** Delivered as a retained message (the state before the viewer subscribed). */
  readonly retained: boolean;
  /** When the viewer received it. */
  readonly receivedAt: number;
}

/** Something worth telling the user about a machine. */
export type TrackerEvent =
  | { readonly type: 'new-machine'; readonly machineId: string }
  | {
      readonly type: 'gap';
      readonly machineId: string;
      readonly kind: string;
      /** First missing sequence number. */
      readonly from: number;
      /** Last missing sequence number. */
      readonly to: number;
      readonly missing: number;
    }
  | {
      readonly type: 'duplicate';
      readonly machineId: string;
      readonly kind: string;
      readonly sequence: number;
    }
  | {
      /** A message reported missing arrived after all (out of order). */
      readonly type: 'late';
      readonly machineId: string;
      readonly kind: string;
      readonly sequence: number;
    }
  | {
      /** Lower sequence with a newer timestamp: the agent restarted and counts from the start. */
      readonly type: 'reset';
      readonly machineId: string;
      readonly kind: string;
      readonly previous: number;
      readonly sequence: number;
    }
  | {
      readonly type: 'stale';
      readonly machineId: string;
      readonly silentForMs: number;
      readonly intervalMs: number;
    }
  | { readonly type: 'resumed'; readonly machineId: string; readonly silentForMs: number }
  | {
      readonly type: 'connection';
      readonly machineId: string;
      readonly status: 'online' | 'offline';
      readonly retained: boolean;
      readonly publishIntervalMs: number | undefined;
    };

/** Statistics of one machine at a moment. */
export interface MachineStats {
  /** Machine id. */
  readonly machineId: string;
  /** Last announced connection status, if any. */
  readonly connection: 'online' | 'offline' | undefined;
  /** Silent for more than `staleFactor` intervals. */
  readonly stale: boolean;
  /** Valid messages received. */
  readonly messages: number;
  /** Invalid messages attributed to this machine. */
  readonly invalid: number;
  /** Distinct sequence numbers seen on the reference topic (`data` when present): scans. */
  readonly scans: number;
  /** Sequence numbers skipped and not (yet) received. */
  readonly missing: number;
  /** Sequence numbers received more than once. */
  readonly duplicates: number;
  /** Messages that arrived after a later one. */
  readonly late: number;
  /** Sequence restarts (agent restarts). */
  readonly resets: number;
  /** Valid messages per second over the rate window. */
  readonly ratePerSecond: number;
  /** End-to-end latency percentiles (ms) over the latency window; `undefined` without samples. */
  readonly latency:
    { readonly p50: number; readonly p99: number; readonly samples: number } | undefined;
  /** Publish interval used for staleness (announced or learned), if known. */
  readonly intervalMs: number | undefined;
  /** When the last valid message arrived. */
  readonly lastSeenAt: number | undefined;
}

/** Options of {@link createMachineTracker}. */
export interface MachineTrackerOptions {
  /** A machine is stale after this many intervals of silence (default: 2). */
  readonly staleFactor?: number;
  /** Latency samples kept per machine for p50/p99 (default: 1000). */
  readonly latencyWindow?: number;
  /** Window of the message rate in seconds (default: 10). */
  readonly rateWindowSeconds?: number;
}

/** Per-machine bookkeeping of sequences, timing, latency and staleness. Pure: time is passed in. */
export interface MachineTracker {
  /** Records a valid message; returns what changed (gap, duplicate, reset, resumed, …). */
  record(observation: Observation): TrackerEvent[];
  /** Records an invalid message that could be attributed to a machine. */
  recordInvalid(machineId: string): void;
  /** Records an online/offline announcement; returns an event when the status changed. */
  recordConnection(observation: ConnectionObservation): TrackerEvent[];
  /** Flags machines silent for more than `staleFactor` intervals (each once until data resumes). */
  checkStale(now: number): TrackerEvent[];
  /** Statistics of every machine seen, sorted by machine id. */
  stats(now: number): MachineStats[];
}

// Sequences remembered for telling duplicates from late arrivals and restarts.
const SEQUENCE_MEMORY = 1024;
// Interval samples kept; the median resists one late or bunched scan.
const INTERVAL_SAMPLES = 9;

interface MachineState {
  readonly machineId: string;
  referenceKind: string | undefined;
  last: number;
  lastTimestamp: number | undefined;
  seen: Float64Array;
  messages: number;
  invalid: number;
  scans: number;
  missing: number;
  duplicates: number;
  late: number;
  resets: number;
  lastSeenAt: number | undefined;
  stale: boolean;
  connection: 'online' | 'offline' | undefined;
  announcedIntervalMs: number | undefined;
  intervalSamples: number[];
  readonly latency: LatencyWindow;
  readonly rateCounts: Float64Array;
  readonly rateSeconds: Float64Array;
  firstSecond: number | undefined;
}

/**
 * Creates the tracker behind the viewer's per-machine report: scan gaps, duplicates, agent restarts
 * (sequence reset), message rate, end-to-end latency and staleness.
 *
 * Sequences are judged on one reference topic per machine — `data` (one message per scan) as soon as
 * the machine has sent one, otherwise the first topic kind seen — so one lost scan is one gap, not seven.
 *
 * @example
 * ```ts
 * const tracker = createMachineTracker();
 * tracker.record({ machineId: 'filler-01', kind: 'data', sequence: 1, timestamp: 0, receivedAt: 2 });
 * tracker.record({ machineId: 'filler-01', kind: 'data', sequence: 4, timestamp: 6000, receivedAt: 6002 });
 * // → [{ type: 'gap', machineId: 'filler-01', kind: 'data', from: 2, to: 3, missing: 2 }]
 * ```
 */
export function createMachineTracker(options: MachineTrackerOptions = {}): MachineTracker {
  const staleFactor = options.staleFactor ?? 2;
  const latencyWindow = options.latencyWindow ?? 1000;
  const rateWindow = options.rateWindowSeconds ?? 10;
  const machines = new Map<string, MachineState>();

  const machine = (machineId: string, events: TrackerEvent[]): MachineState => {
    let state = machines.get(machineId);
    if (state === undefined) {
      state = {
        machineId,
        referenceKind: undefined,
        last: -1,
        lastTimestamp: undefined,
        seen: new Float64Array(SEQUENCE_MEMORY).fill(-1),
        messages: 0,
        invalid: 0,
        scans: 0,
        missing: 0,
        duplicates: 0,
        late: 0,
        resets: 0,
        lastSeenAt: undefined,
        stale: false,
        connection: undefined,
        announcedIntervalMs: undefined,
        intervalSamples: [],
        latency: createLatencyWindow(latencyWindow),
        rateCounts: new Float64Array(rateWindow + 1),
        rateSeconds: new Float64Array(rateWindow + 1).fill(-1),
        firstSecond: undefined,
      };
      machines.set(machineId, state);
      events.push({ type: 'new-machine', machineId });
    }
    return state;
  };

  const intervalOf = (m: MachineState): number | undefined => {
    if (m.announcedIntervalMs !== undefined) return m.announcedIntervalMs;
    if (m.intervalSamples.length === 0) return undefined;
    const sorted = [...m.intervalSamples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };

  const startSequence = (m: MachineState, kind: string, o: Observation) => {
    m.referenceKind = kind;
    m.seen.fill(-1);
    m.last = o.sequence;
    m.lastTimestamp = o.timestamp;
    m.seen[o.sequence % SEQUENCE_MEMORY] = o.sequence;
    m.scans++;
  };

  const trackSequence = (m: MachineState, o: Observation, events: TrackerEvent[]) => {
    const s = o.sequence;
    const slot = s % SEQUENCE_MEMORY;
    if (s > m.last) {
      if (s === m.last + 1 && o.timestamp !== undefined && m.lastTimestamp !== undefined) {
        const sample = o.timestamp - m.lastTimestamp;
        if (sample > 0) {
          m.intervalSamples.push(sample);
          if (m.intervalSamples.length > INTERVAL_SAMPLES) m.intervalSamples.shift();
        }
      }
      if (s > m.last + 1) {
        const missing = s - m.last - 1;
        m.missing += missing;
        events.push({
          type: 'gap',
          machineId: m.machineId,
          kind: o.kind,
          from: m.last + 1,
          to: s - 1,
          missing,
        });
      }
      m.last = s;
      m.lastTimestamp = o.timestamp;
      m.seen[slot] = s;
      m.scans++;
      return;
    }
    if (m.seen[slot] === s && s > m.last - SEQUENCE_MEMORY) {
      m.duplicates++;
      events.push({ type: 'duplicate', machineId: m.machineId, kind: o.kind, sequence: s });
      return;
    }
    // Lower and unseen: a late message carries an older timestamp than the newest one; a restarted
    // agent's first scans carry newer ones.
    const newer =
      o.timestamp !== undefined && m.lastTimestamp !== undefined
        ? o.timestamp > m.lastTimestamp
        : s < m.last - SEQUENCE_MEMORY || s === 0;
    if (newer) {
      m.resets++;
      events.push({
        type: 'reset',
        machineId: m.machineId,
        kind: o.kind,
        previous: m.last,
        sequence: s,
      });
      m.intervalSamples = [];
      m.seen.fill(-1);
      m.last = s;
      m.lastTimestamp = o.timestamp;
      m.seen[slot] = s;
      m.scans++;
      return;
    }
    m.late++;
    if (s > m.last - SEQUENCE_MEMORY) {
      m.seen[slot] = s;
      if (m.missing > 0) m.missing--;
      m.scans++;
    }
    events.push({ type: 'late', machineId: m.machineId, kind: o.kind, sequence: s });
  };

  const countRate = (m: MachineState, now: number) => {
    const second = Math.floor(now / 1000);
    m.firstSecond ??= second;
    const i = second % m.rateCounts.length;
    if (m.rateSeconds[i] !== second) {
      m.rateSeconds[i] = second;
      m.rateCounts[i] = 0;
    }
    m.rateCounts[i]!++;
  };

  const rateOf = (m: MachineState, now: number): number => {
    if (m.firstSecond === undefined) return 0;
    const current = Math.floor(now / 1000);
    // Whole seconds only: the current, partial second would read low.
    const span = Math.min(rateWindow, current - m.firstSecond);
    if (span <= 0) return 0;
    let sum = 0;
    for (let i = 0; i < m.rateCounts.length; i++) {
      const second = m.rateSeconds[i]!;
      if (second >= current - span && second < current) sum += m.rateCounts[i]!;
    }
    return sum / span;
  };

  return {
    record(o) {
      const events: TrackerEvent[] = [];
      const m = machine(o.machineId, events);
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
      countRate(m, o.receivedAt);
      if (o.timestamp !== undefined) m.latency.add(o.receivedAt - o.timestamp);
      if (m.referenceKind === undefined || (o.kind === 'data' && m.referenceKind !== 'data')) {
        startSequence(m, o.kind, o);
      } else if (o.kind === m.referenceKind) {
        trackSequence(m, o, events);
      }
      return events;
    },
    recordInvalid(machineId) {
      machine(machineId, []).invalid++;
    },
    recordConnection(o) {
      const events: TrackerEvent[] = [];
      const m = machine(o.machineId, []);
      if (o.publishIntervalMs !== undefined && o.publishIntervalMs > 0)
        m.announcedIntervalMs = o.publishIntervalMs;
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
      for (const m of machines.values()) {
        // An agent that said it is offline is not "stale": its silence is explained.
        if (m.stale || m.lastSeenAt === undefined || m.connection === 'offline') continue;
        const interval = intervalOf(m);
        if (interval === undefined) continue;
        const silentForMs = now - m.lastSeenAt;
        if (silentForMs > staleFactor * interval) {
          m.stale = true;
          events.push({ type: 'stale', machineId: m.machineId, silentForMs, intervalMs: interval });
        }
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
            ratePerSecond: rateOf(m, now),
            latency:
              p50 === undefined || p99 === undefined
                ? undefined
                : { p50, p99, samples: m.latency.count },
            intervalMs: intervalOf(m),
            lastSeenAt: m.lastSeenAt,
          };
        });
    },
  };
}
