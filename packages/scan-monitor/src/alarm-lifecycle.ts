import { TAGS, type Alarms } from '@ot-mqtt/tag-model';

/** One of the five alarm tags of the bottle filler (`LowProductLevel`, `Overfill`, …). */
export type AlarmName = keyof Alarms;

/** The alarm tags in the tag model's order. */
export const ALARM_NAMES = Object.keys(TAGS.alarms) as readonly AlarmName[];

/**
 * ISA-18.2 alarm states (ANSI/ISA-18.2 figure "alarm state transition diagram"): `normal` (A),
 * `unacknowledged-active` (B), `acknowledged-active` (C), `unacknowledged-returned-to-normal` (D).
 */
export type AlarmState =
  'normal' | 'unacknowledged-active' | 'acknowledged-active' | 'unacknowledged-returned-to-normal';

/** The lifecycle of one alarm of one machine. Times are epoch ms. */
export interface AlarmRecord {
  /** Machine. */
  readonly machineId: string;
  /** Alarm tag. */
  readonly alarm: AlarmName;
  /** ISA-18.2 state. */
  readonly state: AlarmState;
  /** Whether the alarm tag is true in the latest scan. */
  readonly active: boolean;
  /** When the current (or last) occurrence was raised (scan time), if ever. */
  readonly raisedAt: number | undefined;
  /** When it was acknowledged, if it was since it was raised. */
  readonly acknowledgedAt: number | undefined;
  /** Who acknowledged it (user name). */
  readonly acknowledgedBy: string | undefined;
  /** When the condition cleared (scan time), if it did since it was raised. */
  readonly clearedAt: number | undefined;
  /**
   * First-out: this alarm opened the machine's cascade — no other alarm of the machine was out of
   * `normal` when it was raised. Alarms raised in the same scan are first-out together.
   */
  readonly firstOut: boolean;
}

/** A lifecycle transition, for a journal or an HMI's alarm events. */
export interface AlarmEvent {
  /** What happened. */
  readonly type: 'raised' | 'acknowledged' | 'cleared';
  /** Machine. */
  readonly machineId: string;
  /** Alarm tag. */
  readonly alarm: AlarmName;
  /** State after the transition. */
  readonly state: AlarmState;
  /** When (scan time for raised/cleared, operator time for acknowledged), epoch ms. */
  readonly at: number;
  /** Who acknowledged (for `acknowledged`). */
  readonly user?: string;
  /** Whether the alarm is first-out of its cascade. */
  readonly firstOut: boolean;
}

/** Outcome of {@link AlarmLifecycle.acknowledge}. */
export type AcknowledgeResult =
  | {
      /** The alarm was unacknowledged and now is acknowledged. */
      readonly ok: true;
      /** The record after the acknowledgement. */
      readonly record: AlarmRecord;
      /** The transition, to journal and publish. */
      readonly event: AlarmEvent;
    }
  | {
      /** Nothing was changed. */
      readonly ok: false;
      /** `unknown-machine`, `unknown-alarm`, or `not-unacknowledged` (normal or already acknowledged). */
      readonly reason: 'unknown-machine' | 'unknown-alarm' | 'not-unacknowledged';
      /** The record as it is, when the machine and alarm exist. */
      readonly record?: AlarmRecord;
    };

/** Options of {@link createAlarmLifecycle}. */
export interface AlarmLifecycleOptions {
  /** Most machines kept (default: 10000); further machines are ignored until {@link AlarmLifecycle.forget}. */
  readonly maxMachines?: number;
  /** Records to start from, e.g. read back from a journal after a restart. */
  readonly initial?: readonly AlarmRecord[];
}

/** ISA-18.2 alarm states of every machine, driven by successive scans and operator acknowledgements. */
export interface AlarmLifecycle {
  /**
   * Applies one scan's five alarm tags (`tags.alarms` of a data or alarms payload), in scan order.
   * Returns the transitions it caused (raised, cleared). A scan older than the machine's last one
   * is ignored (returns `[]`).
   */
  update(machineId: string, alarms: Alarms, at: number): AlarmEvent[];
  /**
   * Records an operator acknowledgement. Acknowledging never clears an active alarm: a latched PLC
   * alarm stays `acknowledged-active` until its tag clears (the machine's `reset`).
   */
  acknowledge(machineId: string, alarm: string, user: string, at: number): AcknowledgeResult;
  /** Records of one machine (all five alarms), or of every machine; sorted by machine, then tag order. */
  records(machineId?: string): AlarmRecord[];
  /** Drops a machine's records. */
  forget(machineId: string): void;
}

type MutableRecord = { -readonly [K in keyof AlarmRecord]: AlarmRecord[K] };

function normal(machineId: string, alarm: AlarmName): MutableRecord {
  return {
    machineId,
    alarm,
    state: 'normal',
    active: false,
    raisedAt: undefined,
    acknowledgedAt: undefined,
    acknowledgedBy: undefined,
    clearedAt: undefined,
    firstOut: false,
  };
}

const isAlarmName = (name: string): name is AlarmName =>
  (ALARM_NAMES as readonly string[]).includes(name);

/**
 * Creates the ISA-18.2 alarm lifecycle of a fleet: which alarms are unacknowledged, acknowledged
 * or returned to normal unacknowledged, with raise, acknowledge and clear times, who acknowledged,
 * and which alarm of a cascade came first. Pure: times are passed in.
 *
 * Transitions: normal →(tag true) unacknowledged-active →(ack) acknowledged-active →(tag false)
 * normal; unacknowledged-active →(tag false) unacknowledged-returned-to-normal →(ack) normal, or
 * →(tag true again) unacknowledged-active (a new occurrence).
 *
 * @param options - Machine limit and records to start from.
 * @returns The lifecycle; feed it every scan's alarm tags and the operators' acknowledgements.
 *
 * @example
 * ```ts
 * import { createAlarmLifecycle } from '@ot-mqtt/scan-monitor';
 * const alarms = createAlarmLifecycle();
 * const quiet = { LowProductLevel: false, Overfill: false, Underfill: false, NoBottle: false, CapMissing: false };
 * alarms.update('filler-01', { ...quiet, Overfill: true }, Date.parse('2025-06-02T08:00:00Z'));
 * // → [{ type: 'raised', alarm: 'Overfill', state: 'unacknowledged-active', firstOut: true, … }]
 * alarms.acknowledge('filler-01', 'Overfill', 'operator-1', Date.parse('2025-06-02T08:00:30Z'));
 * alarms.records('filler-01').find((r) => r.alarm === 'Overfill')?.state; // 'acknowledged-active'
 * ```
 */
export function createAlarmLifecycle(options: AlarmLifecycleOptions = {}): AlarmLifecycle {
  const maxMachines = options.maxMachines ?? 10_000;
  const machines = new Map<string, { lastAt: number; records: Map<AlarmName, MutableRecord> }>();

  const machineOf = (machineId: string, create: boolean) => {
    let m = machines.get(machineId);
    if (m === undefined && create && machines.size < maxMachines) {
      m = {
        lastAt: Number.NEGATIVE_INFINITY,
        records: new Map(ALARM_NAMES.map((a) => [a, normal(machineId, a)])),
      };
      machines.set(machineId, m);
    }
    return m;
  };
  for (const r of options.initial ?? []) {
    const m = machineOf(r.machineId, true);
    if (m !== undefined && isAlarmName(r.alarm)) m.records.set(r.alarm, { ...r });
  }

  const eventOf = (r: MutableRecord, type: AlarmEvent['type'], at: number, user?: string) => ({
    type,
    machineId: r.machineId,
    alarm: r.alarm,
    state: r.state,
    at,
    ...(user === undefined ? {} : { user }),
    firstOut: r.firstOut,
  });

  return {
    update(machineId, alarms, at) {
      const m = machineOf(machineId, true);
      if (m === undefined || at < m.lastAt) return [];
      m.lastAt = at;
      const events: AlarmEvent[] = [];
      // A cascade starts when every alarm of the machine is normal; all raised in that scan are first.
      const quietBefore = [...m.records.values()].every((r) => r.state === 'normal');
      for (const alarm of ALARM_NAMES) {
        const r = m.records.get(alarm)!;
        const active = alarms[alarm] === true;
        if (active === r.active) continue;
        r.active = active;
        if (active) {
          // From normal, or a returned-unacknowledged alarm coming back: a new occurrence.
          if (r.state === 'normal' || r.state === 'unacknowledged-returned-to-normal') {
            r.state = 'unacknowledged-active';
            r.raisedAt = at;
            r.acknowledgedAt = undefined;
            r.acknowledgedBy = undefined;
            r.clearedAt = undefined;
            r.firstOut = quietBefore;
            events.push(eventOf(r, 'raised', at));
          }
        } else {
          r.clearedAt = at;
          r.state =
            r.state === 'acknowledged-active' ? 'normal' : 'unacknowledged-returned-to-normal';
          events.push(eventOf(r, 'cleared', at));
        }
      }
      return events;
    },
    acknowledge(machineId, alarm, user, at) {
      const m = machineOf(machineId, false);
      if (m === undefined) return { ok: false, reason: 'unknown-machine' };
      if (!isAlarmName(alarm)) return { ok: false, reason: 'unknown-alarm' };
      const r = m.records.get(alarm)!;
      if (r.state !== 'unacknowledged-active' && r.state !== 'unacknowledged-returned-to-normal')
        return { ok: false, reason: 'not-unacknowledged', record: { ...r } };
      r.acknowledgedAt = at;
      r.acknowledgedBy = user;
      // Never clears an active alarm: only the tag going false (a PLC reset) does.
      r.state = r.active ? 'acknowledged-active' : 'normal';
      return { ok: true, record: { ...r }, event: eventOf(r, 'acknowledged', at, user) };
    },
    records(machineId) {
      const ids =
        machineId === undefined
          ? [...machines.keys()].sort()
          : machines.has(machineId)
            ? [machineId]
            : [];
      return ids.flatMap((id) => [...machines.get(id)!.records.values()].map((r) => ({ ...r })));
    },
    forget(machineId) {
      machines.delete(machineId);
    },
  };
}
