import { batch, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import {
  createIntervalEstimator,
  createMachineTracker,
  type IntervalEstimator,
  type MachineTracker,
} from '@ot-mqtt/scan-monitor';
import type { DataPayload } from '@ot-mqtt/tag-model';
import { validateMessage } from './validate-message.js';
import {
  activeAlarmsOf,
  machineStateOf,
  type AlarmName,
  type MachineState,
} from './machine-state.js';

/** Everything the page knows about one machine; replaced (never mutated) on each change. */
export interface MachineSnapshot {
  readonly machineId: string;
  /** Whether its topics carry the machine level (`<root>/<id>/…`, fleets) or not (single filler). */
  readonly topicHasMachineLevel: boolean;
  /** Last valid scan. */
  readonly scan: DataPayload | undefined;
  /** When that scan arrived (page clock, ms since epoch). */
  readonly receivedAt: number | undefined;
  /** The agent's retained connection status. */
  readonly connection: 'online' | 'offline' | 'unknown';
  /** Publish interval: announced by the agent, else measured, else 2 s. */
  readonly intervalMs: number;
  readonly state: MachineState | undefined;
  readonly activeAlarms: readonly AlarmName[];
  /** Scans skipped and not (yet) arrived since the page opened (restarts and redeliveries are not gaps). */
  readonly missedScans: number;
  /** Payloads of this machine that failed validation. */
  readonly invalidPayloads: number;
  /** The last such problem, in words. */
  readonly lastProblem: string | undefined;
  /** PackML state, when the agent publishes `<root>[/<id>]/packml`. */
  readonly packml:
    { readonly state: string; readonly code?: number; readonly stopReason?: string } | undefined;
}

/** A message the page could not use, kept (bounded) for the problems banner. */
export interface Problem {
  readonly at: number;
  readonly topic: string;
  readonly message: string;
}

/** Limits of a {@link FleetStore}: a hostile publisher must not grow the page without bound. */
export interface FleetStoreOptions {
  /** Topic root (default `plc/bottlefiller`). */
  readonly topicRoot?: string;
  /** Most machines tracked; scans of further machine ids are counted and dropped (default 5000). */
  readonly maxMachines?: number;
  /** Publish interval assumed until one is announced or measured, ms (default 2000). */
  readonly defaultIntervalMs?: number;
  /** Called whenever something changed and {@link FleetStore.flush} has work (schedule it). */
  readonly onChange?: () => void;
}

type ScanListener = (scan: DataPayload, receivedAt: number) => void;

const MAX_PROBLEMS = 50;
const DECODER = new TextDecoder();

/**
 * The page's model of the fleet. Messages update plain records at once (cheap, 500+/s); the
 * signals the screens render from are updated by {@link FleetStore.flush}, called once per frame
 * at most, so a burst of messages costs one render of the rows that are on screen — never a
 * re-render of the whole page per message.
 */
export class FleetStore {
  readonly topicRoot: string;
  private readonly maxMachines: number;
  private readonly defaultIntervalMs: number;
  private readonly onChange: () => void;
  private readonly entries = new Map<
    string,
    { current: MachineSnapshot; view: Signal<MachineSnapshot> }
  >();
  private readonly dirty = new Set<string>();
  private readonly scanListeners = new Map<string, Set<ScanListener>>();
  private readonly idsSignal = signal<readonly string[]>([]);
  private readonly problemsSignal = signal<readonly Problem[]>([]);
  private readonly pendingProblems: Problem[] = [];
  private readonly versionSignal = signal(0);
  private idsChanged = false;
  /**
   * Sequence bookkeeping of @ot-mqtt/scan-monitor (the viewer's, too): gaps, late arrivals,
   * duplicates, agent restarts and implausible jumps, 128 bytes of window per machine.
   */
  private readonly tracker: MachineTracker;
  /** Publish interval per machine: announced by the agent, else the median of consecutive scans. */
  private readonly intervals = new Map<string, IntervalEstimator>();
  /** Machine ids refused because {@link FleetStoreOptions.maxMachines} was reached. */
  refusedMachines = 0;
  /** Messages received in total (for the status line and benchmarks). */
  received = 0;

  constructor(options: FleetStoreOptions = {}) {
    this.topicRoot = options.topicRoot ?? 'plc/bottlefiller';
    this.maxMachines = options.maxMachines ?? 5000;
    this.defaultIntervalMs = options.defaultIntervalMs ?? 2000;
    this.onChange = options.onChange ?? (() => undefined);
    // Latency and rate are not shown here: their windows are kept at their minimum.
    this.tracker = createMachineTracker({
      maxMachines: this.maxMachines,
      latencyWindow: 1,
      rateWindowSeconds: 1,
    });
  }

  /** Machine ids in order of first appearance. */
  get ids(): ReadonlySignal<readonly string[]> {
    return this.idsSignal;
  }

  /** The last {@link MAX_PROBLEMS} messages that could not be used, newest first. */
  get problems(): ReadonlySignal<readonly Problem[]> {
    return this.problemsSignal;
  }

  /** Bumped by every {@link FleetStore.flush} that changed something. */
  get version(): ReadonlySignal<number> {
    return this.versionSignal;
  }

  /** The signal of one machine, or undefined for a machine never seen. */
  machine(machineId: string): ReadonlySignal<MachineSnapshot> | undefined {
    return this.entries.get(machineId)?.view;
  }

  /** Current snapshot of every machine (not reactive; for sorting and counting). */
  snapshots(): MachineSnapshot[] {
    return [...this.entries.values()].map((entry) => entry.current);
  }

  /** Calls `listener` with every valid scan of `machineId` as it arrives; returns the unsubscribe. */
  onScan(machineId: string, listener: ScanListener): () => void {
    let set = this.scanListeners.get(machineId);
    if (!set) this.scanListeners.set(machineId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.scanListeners.delete(machineId);
    };
  }

  /** Takes one message of a data, connection or packml topic. Never throws. */
  ingest(topic: string, payload: Uint8Array | string, now: number): void {
    this.received += 1;
    const rest = topic.startsWith(`${this.topicRoot}/`)
      ? topic.slice(this.topicRoot.length + 1)
      : undefined;
    if (rest === undefined) return;
    const levels = rest.split('/');
    if (levels.at(-1) === 'packml') {
      this.ingestPackml(topic, levels.length === 2 ? levels[0] : undefined, payload, now);
      return;
    }
    const hasLevel = levels.length === 2;
    const topicMachineId = hasLevel ? levels[0] : undefined;
    const kind = levels.at(-1);
    if (levels.length > 2 || (kind !== 'data' && kind !== 'connection')) return;
    const result = validateMessage(kind, topicMachineId, payload);
    if (!result.ok) {
      this.problem(topic, result.message, now, topicMachineId);
      return;
    }
    const machineId = result.value.machineId;
    if (result.kind === 'connection') {
      const value = result.value;
      if (value.publishIntervalMs !== undefined)
        this.intervalOf(machineId).announce(value.publishIntervalMs);
      this.update(machineId, hasLevel, now, (m) => ({
        ...m,
        connection: value.status,
        intervalMs: this.intervalOf(machineId).current() ?? m.intervalMs,
      }));
      return;
    }
    const scan = result.value;
    const timestamp = Date.parse(scan.timestamp);
    const events = this.tracker.record({
      machineId,
      kind: 'data',
      sequence: scan.sequence,
      timestamp: Number.isFinite(timestamp) ? timestamp : undefined,
      receivedAt: now,
    });
    let missed = 0;
    // A redelivered, late or implausible scan is counted, but never shown over a newer one.
    let older = false;
    let consecutive = true;
    for (const event of events) {
      if (event.type === 'gap') missed += event.missing;
      else if (event.type === 'late') {
        missed -= 1;
        older = true;
      } else if (event.type === 'duplicate' || event.type === 'suspect') older = true;
      else if (event.type === 'reset' || event.type === 'new-machine') consecutive = false;
    }
    this.update(machineId, hasLevel, now, (m) => {
      const interval = this.intervalOf(machineId);
      if (!older && consecutive && missed === 0 && m.receivedAt !== undefined)
        interval.addSample(now - m.receivedAt);
      const missedScans = Math.max(0, m.missedScans + missed);
      if (older) return { ...m, missedScans };
      return {
        ...m,
        scan,
        receivedAt: now,
        // A scan proves the agent is up, whatever its retained status said before.
        connection: 'online',
        intervalMs: interval.current() ?? m.intervalMs,
        state: machineStateOf(scan.tags.status),
        activeAlarms: activeAlarmsOf(scan.tags.alarms),
        missedScans,
      };
    });
    if (older) return;
    const listeners = this.scanListeners.get(machineId);
    if (listeners) for (const listener of listeners) listener(scan, now);
  }

  /** Copies every changed record into its signal (one batch); call once per animation frame. */
  flush(): void {
    if (this.dirty.size === 0 && !this.idsChanged && this.pendingProblems.length === 0) return;
    batch(() => {
      for (const id of this.dirty) {
        const entry = this.entries.get(id);
        if (entry) entry.view.value = entry.current;
      }
      this.dirty.clear();
      if (this.idsChanged) {
        this.idsSignal.value = [...this.entries.keys()];
        this.idsChanged = false;
      }
      if (this.pendingProblems.length > 0) {
        const merged = [...this.pendingProblems.reverse(), ...this.problemsSignal.value];
        this.pendingProblems.length = 0;
        this.problemsSignal.value = merged.slice(0, MAX_PROBLEMS);
      }
      this.versionSignal.value += 1;
    });
  }

  /** Records a message the page could not use (shown in the problems banner). */
  problem(topic: string, message: string, now: number, machineId?: string): void {
    this.pendingProblems.push({ at: now, topic, message });
    if (this.pendingProblems.length > MAX_PROBLEMS) this.pendingProblems.shift();
    this.onChange();
    const entry = machineId === undefined ? undefined : this.entries.get(machineId);
    if (entry) {
      entry.current = {
        ...entry.current,
        invalidPayloads: entry.current.invalidPayloads + 1,
        lastProblem: message,
      };
      this.dirty.add(entry.current.machineId);
    }
  }

  private ingestPackml(
    topic: string,
    machineId: string | undefined,
    payload: Uint8Array | string,
    now: number,
  ): void {
    let value: unknown;
    try {
      value = JSON.parse(typeof payload === 'string' ? payload : DECODER.decode(payload));
    } catch {
      this.problem(topic, 'not JSON', now, machineId);
      return;
    }
    const record =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const id = machineId ?? (typeof record.machineId === 'string' ? record.machineId : undefined);
    const state = typeof record.state === 'string' ? record.state : undefined;
    if (id === undefined || state === undefined || !this.entries.has(id)) {
      if (state === undefined)
        this.problem(topic, 'packml payload without a "state" string', now, id);
      return;
    }
    const code =
      typeof record.code === 'number'
        ? record.code
        : typeof record.stateCode === 'number'
          ? record.stateCode
          : undefined;
    this.update(id, machineId !== undefined, now, (m) => ({
      ...m,
      packml: { state: state.slice(0, 40), ...(code === undefined ? {} : { code }) },
    }));
  }

  private intervalOf(machineId: string): IntervalEstimator {
    let interval = this.intervals.get(machineId);
    if (!interval) this.intervals.set(machineId, (interval = createIntervalEstimator()));
    return interval;
  }

  private update(
    machineId: string,
    topicHasMachineLevel: boolean,
    now: number,
    change: (m: MachineSnapshot) => MachineSnapshot,
  ): void {
    let entry = this.entries.get(machineId);
    if (!entry) {
      if (this.entries.size >= this.maxMachines) {
        this.refusedMachines += 1;
        if (this.refusedMachines === 1) {
          this.problem(
            machineId,
            `more than ${this.maxMachines} machines: further machine ids are ignored`,
            now,
          );
        }
        return;
      }
      const initial = this.blank(machineId, topicHasMachineLevel);
      entry = { current: initial, view: signal(initial) };
      this.entries.set(machineId, entry);
      this.idsChanged = true;
    }
    entry.current = change(entry.current);
    this.dirty.add(machineId);
    this.onChange();
  }

  private blank(machineId: string, topicHasMachineLevel: boolean): MachineSnapshot {
    return {
      machineId,
      topicHasMachineLevel,
      scan: undefined,
      receivedAt: undefined,
      connection: 'unknown',
      intervalMs: this.defaultIntervalMs,
      state: undefined,
      activeAlarms: [],
      missedScans: 0,
      invalidPayloads: 0,
      lastProblem: undefined,
      packml: undefined,
    };
  }
}
