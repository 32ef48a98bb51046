import type { Fault } from '../fault.js';
import { DISTURBANCE_CAUSES } from '../shift-options.js';
import type { DisturbanceCause, ScheduledEvent, ShiftOptions } from '../shift-options.js';
import type { CauseStats, ShiftReport } from '../shift-report.js';
import type { AlarmLatches } from './alarm-latches.js';
import { FAULT_BIT } from './fault-bits.js';
import type { IndexingSequence } from './indexing-sequence.js';
import type { PackmlMachine } from './packml-machine.js';
import type { ProductTank } from './product-tank.js';
import type { ProductionCounters } from './production-counters.js';
import { SeededRandom } from './seeded-random.js';
import * as P from './line-parameters.js';
import { PACKML_STATES } from '@ot-mqtt/tag-model';

/** What of a filler the shift touches; `FillerModel` has it all. */
export interface ShiftPlant {
  readonly line: IndexingSequence;
  readonly tank: ProductTank;
  readonly alarms: AlarmLatches;
  readonly packmlMachine: PackmlMachine;
  readonly counters: ProductionCounters;
  /** Fault bits the shift's disturbances hold, ORed with the injected ones in every scan. */
  disturbed: number;
  reset(): void;
  start(): boolean;
  stop(): void;
  inject(fault: Fault): void;
  clearFaults(fault?: Fault): void;
}

const N = DISTURBANCE_CAUSES.length;
const SUPPLY_LATE = DISTURBANCE_CAUSES.indexOf('productSupplyLate');
const BLOCKED = DISTURBANCE_CAUSES.indexOf('downstreamBlocked');
/** The fault bit each cause holds while it lasts (0: a cause with its own mechanism). */
const BITS: Readonly<Record<DisturbanceCause, number>> = {
  infeedJam: FAULT_BIT.noBottles,
  capFeedEmpty: FAULT_BIT.missCap,
  valveSticking: FAULT_BIT.jamValve,
  supplyThrottled: FAULT_BIT.starveValve,
  productSupplyLate: 0,
  upstreamStarved: FAULT_BIT.noBottles,
  downstreamBlocked: 0,
  supplyLost: FAULT_BIT.emptyTank,
};
const CAUSE_BITS = DISTURBANCE_CAUSES.map((c) => BITS[c]);

const IDLE = 0;
/** Failure time reached; waits for the condition it acts on (a refill request). */
const DUE = 1;
const ACTIVE = 2;

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** The day cycle's warmest hour. */
const PEAK_MS = 15 * HOUR_MS;

const ALARM_NAMES = ['LowProductLevel', 'Overfill', 'Underfill', 'NoBottle', 'CapMissing'] as const;

/**
 * A filler's shift: disturbances with exponential times between failures and log-normal repairs,
 * the fill spread, drifts and sensor noise, the simulated operator and the schedule. Runs inside
 * the scan (before and after the plant moves), so everything happens on whole scans and a run is
 * split-invariant; it draws from a random stream of its own, so the physics of the steady line
 * draw exactly what they drew before.
 */
export class ShiftEngine {
  private readonly random: SeededRandom;
  // One buffer for every per-cause figure: a fleet of ten thousand shifts allocates one each.
  private readonly numbers = new Float64Array(10 * N + ALARM_NAMES.length + 3);
  private readonly mtbfMs = this.numbers.subarray(0 * N, 1 * N);
  private readonly mu = this.numbers.subarray(1 * N, 2 * N);
  private readonly sigma = this.numbers.subarray(2 * N, 3 * N);
  private readonly phase = this.numbers.subarray(9 * N, 10 * N);
  /** IDLE: when the next failure comes; ACTIVE: when the repair ends. */
  private readonly at = this.numbers.subarray(3 * N, 4 * N);
  private readonly since = this.numbers.subarray(4 * N, 5 * N);
  private readonly failures = this.numbers.subarray(5 * N, 6 * N);
  private readonly repairs = this.numbers.subarray(6 * N, 7 * N);
  private readonly repairMs = this.numbers.subarray(7 * N, 8 * N);
  private readonly upMs = this.numbers.subarray(8 * N, 9 * N);
  private readonly schedule: ScheduledEvent[];
  private nextEvent = 0;
  private changeoverUntil = -1;
  private changeoverMs = 0;
  private operatorAt = -1;
  private operatorOnDuty: boolean;
  private operatorResets = 0;
  private runMs = 0;
  private faultedMs = 0;
  private readonly faultedByReason: Record<string, number> = {};
  private readonly downByReason: Record<string, number> = {};
  private readonly raises = this.numbers.subarray(10 * N, 10 * N + ALARM_NAMES.length);
  /** Rejects without a cap, underfilled, overfilled. */
  private readonly rejects = this.numbers.subarray(10 * N + ALARM_NAMES.length);
  private alarmBits = 0;
  private wearPsi = 0;
  private readonly noiseSeed: number;

  constructor(
    seed: number,
    private readonly options: ShiftOptions,
  ) {
    this.random = new SeededRandom(seed);
    this.noiseSeed = mix(seed ^ 0x6e6f6973);
    this.operatorOnDuty = options.operator !== undefined;
    DISTURBANCE_CAUSES.forEach((cause, i) => {
      const rate = options.disturbances?.[cause];
      if (rate === undefined || rate === null) {
        this.at[i] = Infinity;
        return;
      }
      this.mtbfMs[i] = rate.mtbfMinutes * 60_000;
      this.sigma[i] = rate.repairSpread;
      // The log-normal's mean is exp(μ + σ²/2): configure the mean, as MTTR figures are.
      this.mu[i] = Math.log(rate.mttrSeconds * 1000) - (rate.repairSpread * rate.repairSpread) / 2;
      this.at[i] = this.exponential(this.mtbfMs[i]!);
    });
    this.schedule = [...(options.schedule ?? [])].sort((a, b) => a.atMs - b.atMs);
  }

  /** Start of a scan at `nowMs`: schedule, failures and repairs, drifts, the next bottle's fill target. */
  before(nowMs: number, plant: ShiftPlant): void {
    while (this.nextEvent < this.schedule.length && this.schedule[this.nextEvent]!.atMs <= nowMs) {
      this.apply(this.schedule[this.nextEvent++]!, nowMs, plant);
    }
    if (this.changeoverUntil >= 0 && nowMs >= this.changeoverUntil) {
      this.changeoverUntil = -1;
      plant.reset();
      plant.start();
    }
    let changed = false;
    for (let i = 0; i < N; i++) {
      if (nowMs < this.at[i]! && this.phase[i] !== DUE) continue;
      changed = this.advance(i, nowMs, plant) || changed;
    }
    if (changed) this.holdDisturbances(plant);
    this.drift(nowMs, plant);
  }

  /** End of a scan: time accounting, alarm edges, the operator. */
  after(nowMs: number, plant: ShiftPlant): void {
    const machine = plant.packmlMachine;
    const planned = this.changeoverUntil < 0;
    if (planned) {
      if (machine.state !== PACKML_STATES.Execute) {
        const reason = machine.reasonText ?? 'not started';
        this.downByReason[reason] = (this.downByReason[reason] ?? 0) + P.TICK_MS;
      }
      if (machine.aborted) {
        this.faultedMs += P.TICK_MS;
        const reason = machine.reasonText ?? 'unknown';
        this.faultedByReason[reason] = (this.faultedByReason[reason] ?? 0) + P.TICK_MS;
      } else if (machine.running) this.runMs += P.TICK_MS;
    } else this.changeoverMs += P.TICK_MS;
    if (machine.running)
      this.wearPsi += ((this.options.drifts?.pumpWearPsiPerHour ?? 0) * P.TICK_MS) / HOUR_MS;

    const bits =
      (plant.tank.levelPct < P.LOW_LEVEL_PCT ? 1 : 0) |
      (plant.alarms.overfill ? 2 : 0) |
      (plant.alarms.underfill ? 4 : 0) |
      (machine.running && plant.line.waitingMs >= P.NO_BOTTLE_TIMEOUT_MS ? 8 : 0) |
      (plant.alarms.capMissing ? 16 : 0);
    const rising = bits & ~this.alarmBits;
    this.alarmBits = bits;
    if (rising !== 0)
      for (let a = 0; a < ALARM_NAMES.length; a++) if (rising & (1 << a)) this.raises[a]!++;

    this.operate(nowMs, plant);
  }

  report(plant: ShiftPlant, timeMs: number): ShiftReport {
    const causes = {} as Record<DisturbanceCause, CauseStats>;
    DISTURBANCE_CAUSES.forEach((cause, i) => {
      causes[cause] = {
        failures: this.failures[i]!,
        repairs: this.repairs[i]!,
        repairMs: this.repairMs[i]!,
        upMs: this.upMs[i]!,
        active: this.phase[i] === ACTIVE,
      };
    });
    const alarmRaises = Object.fromEntries(ALARM_NAMES.map((a, i) => [a, this.raises[i]!]));
    return {
      timeMs,
      plannedMs: timeMs - this.changeoverMs,
      runMs: this.runMs,
      faultedMs: this.faultedMs,
      good: plant.counters.filled,
      rejected: plant.counters.rejected,
      causes,
      alarmRaises: alarmRaises as ShiftReport['alarmRaises'],
      faultedMsByReason: { ...this.faultedByReason },
      downtimeMsByReason: { ...this.downByReason },
      rejectsByCause: {
        noCap: this.rejects[0]!,
        underfill: this.rejects[1]!,
        overfill: this.rejects[2]!,
      },
      operatorResets: this.operatorResets,
      operatorOnDuty: this.operatorOnDuty,
    };
  }

  /** One cause whose time has come. @returns Whether the held disturbances changed. */
  private advance(i: number, nowMs: number, plant: ShiftPlant): boolean {
    const phase = this.phase[i]!;
    if (phase === ACTIVE) {
      this.phase[i] = IDLE;
      this.repairs[i]!++;
      this.repairMs[i]! += nowMs - this.since[i]!;
      this.since[i] = nowMs;
      this.at[i] = nowMs + Math.max(P.TICK_MS, this.exponential(this.mtbfMs[i]!));
      return true;
    }
    // A late supply only shows when the tank asks for product: it waits for the refill request.
    if (i === SUPPLY_LATE && !plant.tank.refilling) {
      this.phase[i] = DUE;
      return false;
    }
    this.phase[i] = ACTIVE;
    this.failures[i]!++;
    this.upMs[i]! += nowMs - this.since[i]!;
    this.since[i] = nowMs;
    const repair = Math.exp(this.mu[i]! + this.sigma[i]! * this.gauss());
    this.at[i] = nowMs + Math.max(P.TICK_MS, repair);
    return true;
  }

  /** Applies the active causes to the plant. */
  private holdDisturbances(plant: ShiftPlant): void {
    let bits = 0;
    for (let i = 0; i < N; i++) if (this.phase[i] === ACTIVE) bits |= CAUSE_BITS[i]!;
    const wasJammed = (plant.disturbed & FAULT_BIT.jamValve) !== 0;
    plant.disturbed = bits;
    plant.tank.supplyHeld = this.phase[SUPPLY_LATE] === ACTIVE;
    plant.line.outfeedBlocked = this.phase[BLOCKED] === ACTIVE;
    // The repaired valve follows the PLC again (as after clearFaults).
    if (wasJammed && (bits & FAULT_BIT.jamValve) === 0) plant.line.fill.unjamIfFree();
  }

  private drift(nowMs: number, plant: ShiftPlant): void {
    const fill = plant.line.fill;
    const spread = this.options.fillSpreadPct ?? 0;
    if (fill.fresh) {
      fill.fresh = false;
      // Where the level probe closes the valve varies bottle to bottle (foam, flow); kept below the
      // overfill probe so that the valve still closes, but the product in flight can carry it over.
      if (spread > 0) fill.targetPct = Math.min(P.FILL_TARGET_PCT + spread * this.gauss(), 97.9);
    }
    const drifts = this.options.drifts;
    if (drifts === undefined) return;
    // Once a simulated minute is plenty against the tank's 30 min time constant, and a cosine per
    // scan would cost as much as the rest of the shift.
    if (nowMs % 60_000 === P.TICK_MS) {
      const timeOfDay = (this.options.startTimeOfDayMs ?? 6 * HOUR_MS) + nowMs;
      plant.tank.ambientOffsetC =
        drifts.dayCycleAmplitudeC * Math.cos((2 * Math.PI * (timeOfDay - PEAK_MS)) / DAY_MS);
    }
    plant.tank.wearPsi = this.wearPsi;
  }

  /**
   * Sensor noise of scan `scan` for the temperature (`which` 0) or pressure (1) reading: a pure
   * function of the scan number (no draw from the stream), so only the snapshots a caller takes
   * pay for it. Triangular with unit variance × `sensorNoise`, rounded away by the tags' 0.01.
   */
  sensorNoise(scan: number, which: 0 | 1): number {
    const sigma = this.options.drifts?.sensorNoise ?? 0;
    if (sigma === 0) return 0;
    const h1 = mix(this.noiseSeed ^ Math.imul(scan, 0x9e3779b1) ^ which);
    const h2 = mix(h1 ^ 0x85ebca6b);
    return (
      ((h1 >>> 0) / 4294967296 + (h2 >>> 0) / 4294967296 - 1) * Math.SQRT2 * Math.sqrt(3) * sigma
    );
  }

  /** A rejected bottle left the line; its first cause counts (no cap, then level). */
  countReject(capOk: boolean, levelPct: number): void {
    this.rejects[!capOk ? 0 : levelPct < P.UNDERFILL_LIMIT_PCT ? 1 : 2]!++;
  }

  /** Someone else drives the line (commands): the simulated operator leaves. */
  handOver(): void {
    this.operatorOnDuty = false;
  }

  /** The simulated operator: answers a fault or a latched alarm after a response time. */
  private operate(nowMs: number, plant: ShiftPlant): void {
    const operator = this.options.operator;
    if (operator === undefined || !this.operatorOnDuty) return;
    const machine = plant.packmlMachine;
    const needed =
      this.changeoverUntil < 0 && machine.production && (machine.aborted || plant.alarms.any);
    if (!needed) {
      this.operatorAt = -1;
      return;
    }
    if (this.operatorAt < 0) {
      const sigma = operator.responseSpread;
      const mu = Math.log(operator.responseSeconds * 1000) - (sigma * sigma) / 2;
      this.operatorAt = nowMs + Math.exp(mu + sigma * this.gauss());
      return;
    }
    if (nowMs < this.operatorAt || machine.state === PACKML_STATES.Aborting) return;
    this.operatorResets++;
    plant.reset();
    plant.start();
    // Still faulted (the cause is not gone): look again after another response time.
    this.operatorAt = -1;
  }

  private apply(event: ScheduledEvent, nowMs: number, plant: ShiftPlant): void {
    switch (event.action) {
      case 'inject':
        if (event.fault !== undefined) plant.inject(event.fault);
        return;
      case 'clear':
        plant.clearFaults(event.fault);
        return;
      case 'stop':
        plant.stop();
        return;
      case 'start':
        plant.reset();
        plant.start();
        return;
      case 'changeover':
        plant.stop();
        this.changeoverUntil = nowMs + (event.durationMs ?? 0);
        return;
    }
  }

  private exponential(meanMs: number): number {
    return -meanMs * Math.log(1 - this.random.next());
  }

  // Box–Muller: a standard normal from two uniform draws.
  private gauss(): number {
    const r = Math.sqrt(-2 * Math.log(1 - this.random.next()));
    return r * Math.cos(2 * Math.PI * this.random.next());
  }
}

// murmur3's 32-bit finaliser: every input bit flips about half the output bits.
function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
