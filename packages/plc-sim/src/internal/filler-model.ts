import { TAGS } from '@ot-mqtt/tag-model';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import type { BottleFiller, FillerPhase } from '../bottle-filler.js';
import { FAULTS } from '../fault.js';
import type { Fault } from '../fault.js';
import { prngAdvance, prngValue } from './prng.js';
import * as P from './line-parameters.js';

// Sequence steps of the automatic cycle (an indexing inline filler: the conveyor moves all bottles
// one pitch, stops, then filling and capping work in parallel on the stopped bottles).
const DWELL = 0;
const INDEX = 1;

// Injected faults, as bits: cheap to test in the scan, and a filler stays a flat bag of numbers.
const F_EMPTY_TANK = 1 << FAULTS.indexOf('emptyTank');
const F_MISS_CAP = 1 << FAULTS.indexOf('missCap');
const F_JAM_VALVE = 1 << FAULTS.indexOf('jamValve');
const F_STARVE_VALVE = 1 << FAULTS.indexOf('starveValve');
const F_NO_BOTTLES = 1 << FAULTS.indexOf('noBottles');

// Causes of the line fault (status.Fault), as bits.
const TRIP_OVERFILL = 1;
const TRIP_TANK_EMPTY = 2;
const TRIP_REJECTS = 4;

// Latched (event) alarms, as bits. LowProductLevel and NoBottle follow their condition instead.
const A_OVERFILL = 1;
const A_UNDERFILL = 2;
const A_CAP_MISSING = 4;

const R = {
  fill: TAGS.analog.FillLevel.range,
  flow: TAGS.analog.FillFlowRate.range,
  temp: TAGS.analog.TankTemperature.range,
  pressure: TAGS.analog.TankPressure.range,
  speed: TAGS.analog.ConveyorSpeed.range,
  bpm: TAGS.counters.BottlesPerMinute.range,
};

function clamp(v: number, range: { readonly min: number; readonly max: number }): number {
  return v < range.min ? range.min : v > range.max ? range.max : v;
}

/** Rounds for display the way a PLC's REAL→HMI scaling would: 2 decimals, inside the range. */
function round2(v: number, range: { readonly min: number; readonly max: number }): number {
  return clamp(Math.round(v * 100) / 100, range);
}

/**
 * The whole state of one filler as plain numeric/boolean fields on one hidden class, so that ten
 * thousand of them stay small and a scan is a few hundred arithmetic operations.
 */
export class FillerModel implements BottleFiller {
  readonly machineId: string;
  readonly seed: number;
  private rng: number;
  private readonly capMissProbability: number;
  private readonly maxConsecutiveRejects: number;

  // Per-machine constants drawn from the seed.
  private readonly nominalFlowLpm: number;
  private readonly conveyorSetpointRpm: number;
  private readonly ambientC: number;
  private readonly supplyC: number;

  private scans = 0;
  private pendingMs = 0;

  // Modes and latches.
  private autoMode = true;
  private startLatch = false;
  private running = false;
  private trips = 0;
  private latchedAlarms = 0;
  private faults = 0;
  private consecutiveRejects = 0;

  // Sequence.
  private seqStep = DWELL;
  private indexedM = 0;
  private infeedBottle = false;
  private nextArrivalMs: number;
  private waitingMs = 0;
  private fillBottle = false;
  private fillVolumeL = 0;
  private fillElapsedMs = 0;
  private fillDone = false;
  private capBottle = false;
  private capLevelPct = 0;
  private capOk = false;
  private capElapsedMs = 0;
  private capDone = false;
  private toFill = false;
  private toCap = false;
  private toCapLevelPct = 0;

  // Outputs and physics.
  private valveCmd = false;
  private valveOpen = false;
  private conveyorCmd = false;
  private cappingCmd = false;
  private conveyorRpm = 0;
  private speedJitter = 0;
  private flowLpm = 0;
  private tankL: number;
  private refilling = false;
  private tempC: number;
  private pressurePsi: number;

  // Counters: rolling bottles/min over sixty one-second buckets of simulated time.
  private filled = 0;
  private rejected = 0;
  private readonly perSecond = new Uint8Array(60);
  private bucketSecond = 0;
  private minuteTotal = 0;

  constructor(
    machineId: string,
    seed: number,
    autoStart: boolean,
    capMissProbability: number,
    maxConsecutiveRejects: number,
  ) {
    this.machineId = machineId;
    this.seed = seed;
    this.rng = seed | 0;
    this.capMissProbability = capMissProbability;
    this.maxConsecutiveRejects = maxConsecutiveRejects;
    this.nominalFlowLpm = P.NOMINAL_FLOW_LPM * (0.95 + 0.1 * this.random());
    this.conveyorSetpointRpm = P.CONVEYOR_SETPOINT_RPM * (0.95 + 0.1 * this.random());
    this.ambientC = 19 + 5 * this.random();
    this.supplyC = 10 + 4 * this.random();
    this.tankL = P.TANK_CAPACITY_L * (0.5 + 0.3 * this.random());
    this.tempC = this.ambientC - 2 + 2 * this.random();
    this.pressurePsi = this.pressureTarget();
    this.nextArrivalMs = this.bottleGapMs();
    this.startLatch = autoStart;
    this.running = autoStart;
  }

  get scan(): number {
    return this.scans;
  }

  get timeMs(): number {
    return this.scans * P.TICK_MS;
  }

  get phase(): FillerPhase {
    if (!this.running) return 'stopped';
    if (this.seqStep === INDEX) return 'indexing';
    return this.fillBottle || this.capBottle ? 'working' : 'waiting';
  }

  get tankLevelPercent(): number {
    return (this.tankL / P.TANK_CAPACITY_L) * 100;
  }

  get activeFaults(): readonly Fault[] {
    return FAULTS.filter((_, i) => (this.faults & (1 << i)) !== 0);
  }

  step(ms: number): void {
    if (!(ms >= 0) || ms === Infinity) {
      throw new RangeError(`step(ms) needs a finite number of milliseconds ≥ 0, got ${ms}`);
    }
    this.pendingMs += ms;
    while (this.pendingMs >= P.TICK_MS) {
      this.pendingMs -= P.TICK_MS;
      this.tick();
    }
  }

  start(): boolean {
    if (!this.autoMode || this.trips !== 0) return false;
    this.startLatch = true;
    this.running = true;
    return true;
  }

  stop(): void {
    this.startLatch = false;
    this.hold();
  }

  reset(): void {
    // Event alarms describe a bottle that has already been dealt with: acknowledge and clear.
    this.latchedAlarms &= A_OVERFILL;
    if (!this.overfillCondition()) {
      this.latchedAlarms = 0;
      this.trips &= ~TRIP_OVERFILL;
    }
    if (this.tankLevelPercent >= P.EMPTY_RESET_PCT) this.trips &= ~TRIP_TANK_EMPTY;
    this.trips &= ~TRIP_REJECTS;
    this.consecutiveRejects = 0;
    this.waitingMs = 0;
  }

  setAutoMode(auto: boolean): void {
    this.autoMode = auto;
    if (!auto) this.stop();
  }

  inject(fault: Fault): void {
    const i = FAULTS.indexOf(fault);
    if (i < 0)
      throw new RangeError(`unknown fault '${String(fault)}'; one of ${FAULTS.join(', ')}`);
    this.faults |= 1 << i;
  }

  clearFaults(fault?: Fault): void {
    if (fault === undefined) {
      this.faults = 0;
    } else {
      const i = FAULTS.indexOf(fault);
      if (i < 0) {
        throw new RangeError(`unknown fault '${String(fault)}'; one of ${FAULTS.join(', ')}`);
      }
      this.faults &= ~(1 << i);
    }
    // A freed valve snaps to what the PLC commands, so a reset right after the repair succeeds.
    if ((this.faults & F_JAM_VALVE) === 0 && this.valveOpen && !this.valveCmd) {
      this.valveOpen = false;
      this.flowLpm = 0;
    }
  }

  snapshot(): BottleFillerTags {
    const fault = this.trips !== 0;
    const running = this.running;
    const lowLevel = this.tankLevelPercent < P.LOW_LEVEL_PCT;
    const noBottle = running && this.waitingMs >= P.NO_BOTTLE_TIMEOUT_MS;
    const la = this.latchedAlarms;
    const warning = lowLevel || noBottle || la !== 0 || !this.autoMode;
    const fillLevel = this.fillBottle ? (this.fillVolumeL / P.BOTTLE_VOLUME_L) * 100 : 0;
    return {
      inputs: {
        BottlePresent: this.infeedBottle,
        BottleAtFill: this.fillBottle,
        BottleAtCap: this.capBottle,
        LowLevel: lowLevel,
        HighLevel: this.tankLevelPercent >= P.HIGH_LEVEL_PCT,
        CapPresent: this.capBottle && this.capOk,
      },
      outputs: {
        FillValve: this.valveCmd,
        ConveyorMotor: this.conveyorCmd,
        CappingMotor: this.cappingCmd,
        IndicatorGreen: running,
        IndicatorRed: fault,
        IndicatorYellow: !fault && warning,
      },
      analog: {
        FillLevel: round2(fillLevel, R.fill),
        FillFlowRate: round2(this.flowLpm, R.flow),
        TankTemperature: round2(this.tempC, R.temp),
        TankPressure: round2(this.pressurePsi, R.pressure),
        ConveyorSpeed: this.conveyorCmd ? round2(this.conveyorRpm + this.speedJitter, R.speed) : 0,
      },
      status: {
        SystemRunning: running,
        Filling: this.valveCmd,
        Ready: this.autoMode && !fault,
        Fault: fault,
        AutoMode: this.autoMode,
      },
      counters: {
        BottlesFilled: this.filled,
        BottlesRejected: this.rejected,
        BottlesPerMinute: clamp(this.minuteTotal, R.bpm),
      },
      alarms: {
        LowProductLevel: lowLevel,
        Overfill: (la & A_OVERFILL) !== 0,
        Underfill: (la & A_UNDERFILL) !== 0,
        NoBottle: noBottle,
        CapMissing: (la & A_CAP_MISSING) !== 0,
      },
    };
  }

  private random(): number {
    this.rng = prngAdvance(this.rng);
    return prngValue(this.rng);
  }

  private bottleGapMs(): number {
    return P.MIN_BOTTLE_GAP_MS + (P.MAX_BOTTLE_GAP_MS - P.MIN_BOTTLE_GAP_MS) * this.random();
  }

  private pressureTarget(): number {
    return (
      (P.PRESSURE_SETPOINT_PSI * (this.tempC + 273.15)) / (P.PRESSURE_REFERENCE_C + 273.15) +
      P.PRESSURE_PER_LEVEL_PCT * (this.tankLevelPercent - 60) -
      (P.PRESSURE_DRAW_PSI * this.flowLpm) / this.nominalFlowLpm
    );
  }

  /** Product flowing into a bottle that is already at its high-level probe. */
  private overfillCondition(): boolean {
    return (
      this.fillBottle &&
      this.valveOpen &&
      (this.fillVolumeL / P.BOTTLE_VOLUME_L) * 100 >= P.OVERFILL_LIMIT_PCT
    );
  }

  /** One PLC scan: read inputs, run the sequence, update outputs, then the plant moves for DT. */
  private tick(): void {
    this.scans++;
    this.rollMinute(this.scans * P.TICK_MS);

    // Upstream keeps bottles coming to the infeed photoeye; one can queue there.
    if (!this.infeedBottle && (this.faults & F_NO_BOTTLES) === 0) {
      this.nextArrivalMs -= P.TICK_MS;
      if (this.nextArrivalMs <= 0) {
        this.infeedBottle = true;
        this.nextArrivalMs = this.bottleGapMs();
      }
    }

    this.running = this.startLatch && this.autoMode && this.trips === 0;
    this.valveCmd = false;
    this.conveyorCmd = false;
    this.cappingCmd = false;
    if (this.running) this.runSequence();
    else this.waitingMs = 0;

    this.plant();
    this.detect();
  }

  private runSequence(): void {
    if (this.seqStep === INDEX) {
      this.conveyorCmd = true;
      return;
    }
    // Dwell: fill and cap in parallel on stopped bottles.
    if (this.fillBottle && !this.fillDone) {
      this.fillElapsedMs += P.TICK_MS;
      this.valveCmd = true;
    }
    if (this.capBottle && !this.capDone) {
      this.capElapsedMs += P.TICK_MS;
      this.cappingCmd = true;
      if (this.capElapsedMs >= P.CAP_TIME_MS) {
        this.capDone = true;
        this.cappingCmd = false;
      }
    }
    const stationsDone =
      (!this.fillBottle || this.fillDone) && (!this.capBottle || this.capDone) && !this.valveOpen;
    // Interlock: index only once the flow meter confirms the valve is shut.
    if (stationsDone && this.flowLpm === 0) {
      if (this.infeedBottle || this.fillBottle || this.capBottle) {
        this.beginIndex();
        this.conveyorCmd = true;
      }
    }
    if (!this.fillBottle && !this.infeedBottle && this.seqStep === DWELL) {
      this.waitingMs += P.TICK_MS;
    } else {
      this.waitingMs = 0;
    }
  }

  private beginIndex(): void {
    this.seqStep = INDEX;
    this.indexedM = 0;
    if (this.capBottle) this.discharge();
    this.toCap = this.fillBottle;
    this.toCapLevelPct = (this.fillVolumeL / P.BOTTLE_VOLUME_L) * 100;
    this.toFill = this.infeedBottle;
    this.fillBottle = false;
    this.fillVolumeL = 0;
    this.capBottle = false;
    this.infeedBottle = false;
  }

  private endIndex(): void {
    this.seqStep = DWELL;
    if (this.toFill) {
      this.fillBottle = true;
      this.fillVolumeL = 0;
      this.fillElapsedMs = 0;
      this.fillDone = false;
    }
    if (this.toCap) {
      this.capBottle = true;
      this.capLevelPct = this.toCapLevelPct;
      this.capElapsedMs = 0;
      // The cap chute places the cap as the bottle arrives; the cap sensor checks it before the
      // capping head runs, and a bottle without a cap is not capped (and is rejected).
      const miss = (this.faults & F_MISS_CAP) !== 0 || this.random() < this.capMissProbability;
      this.capOk = !miss;
      this.capDone = miss;
      if (miss) this.latchedAlarms |= A_CAP_MISSING;
    }
    this.toFill = false;
    this.toCap = false;
  }

  private discharge(): void {
    const reject =
      !this.capOk ||
      this.capLevelPct < P.UNDERFILL_LIMIT_PCT ||
      this.capLevelPct >= P.OVERFILL_LIMIT_PCT;
    if (reject) {
      this.rejected++;
      this.consecutiveRejects++;
      if (this.consecutiveRejects >= this.maxConsecutiveRejects) this.trip(TRIP_REJECTS);
    } else {
      this.filled++;
      this.consecutiveRejects = 0;
    }
    const i = this.bucketSecond % 60;
    if (this.perSecond[i]! < 255) {
      this.perSecond[i]!++;
      this.minuteTotal++;
    }
  }

  private trip(cause: number): void {
    this.trips |= cause;
    this.startLatch = false;
  }

  /** The plant: conveyor, valve and flow, tank, temperature, pressure — over one tick. */
  private plant(): void {
    const dt = P.DT_S;
    const r1 = this.random();
    const r2 = this.random();
    const r3 = this.random();
    const r4 = this.random();

    // Conveyor: the drive ramps up; with the motor off the brake holds it at 0.
    if (this.conveyorCmd) {
      this.conveyorRpm = Math.min(
        this.conveyorSetpointRpm,
        this.conveyorRpm + P.CONVEYOR_ACCEL_RPM_PER_S * dt,
      );
      this.speedJitter = (r1 - 0.5) * 0.6;
      this.indexedM += (this.conveyorRpm / 60) * P.METRES_PER_REV * dt;
      if (this.indexedM >= P.PITCH_M) this.endIndex();
    } else {
      this.conveyorRpm = 0;
      this.speedJitter = 0;
    }

    // Valve: follows the PLC output unless jammed, in which case it sticks where it was (open).
    if (this.valveCmd) this.valveOpen = true;
    else if ((this.faults & F_JAM_VALVE) === 0) this.valveOpen = false;

    // Flow through the valve: driven by tank pressure, throttled by a starved supply, none from an
    // empty tank.
    let flow = 0;
    if (this.valveOpen && this.tankL > 0) {
      const drive = Math.sqrt(Math.max(this.pressurePsi, 0) / P.PRESSURE_SETPOINT_PSI);
      const throttle = (this.faults & F_STARVE_VALVE) !== 0 ? P.STARVED_FLOW_FACTOR : 1;
      flow = this.nominalFlowLpm * drive * throttle * (0.99 + 0.02 * r2);
    }
    let usedL = (flow / 60) * dt;
    if (usedL > this.tankL) {
      usedL = this.tankL;
      flow = (usedL * 60) / dt;
    }
    if (this.fillBottle) {
      const targetL = (P.FILL_TARGET_PCT / 100) * P.BOTTLE_VOLUME_L;
      if (this.valveCmd && this.fillVolumeL + usedL >= targetL) {
        // The level probe closes the valve the moment the target is reached, mid-scan: what runs
        // after that is only the product in the air.
        const inFlightL = (P.MAX_IN_FLIGHT_PCT / 100) * P.BOTTLE_VOLUME_L * r3;
        const beforeL = this.fillVolumeL;
        this.fillVolumeL = targetL + inFlightL;
        this.fillDone = true;
        this.valveCmd = false;
        if ((this.faults & F_JAM_VALVE) === 0) {
          this.valveOpen = false;
          usedL = Math.max(this.fillVolumeL - beforeL, 0);
        } else {
          this.fillVolumeL = Math.max(this.fillVolumeL, beforeL + usedL);
        }
      } else {
        this.fillVolumeL += usedL;
        if (this.valveCmd && this.fillElapsedMs >= P.FILL_TIMEOUT_MS) {
          this.valveCmd = false;
          this.fillDone = true;
          if ((this.faults & F_JAM_VALVE) === 0) this.valveOpen = false;
          if ((this.fillVolumeL / P.BOTTLE_VOLUME_L) * 100 < P.UNDERFILL_LIMIT_PCT) {
            this.latchedAlarms |= A_UNDERFILL;
          }
        }
      }
      // Anything above the brim runs over the side.
      if (this.fillVolumeL > P.BOTTLE_VOLUME_L) this.fillVolumeL = P.BOTTLE_VOLUME_L;
    }
    this.flowLpm = this.valveOpen ? (usedL * 60) / dt : 0;

    // Tank: consumption, batch refill with hysteresis, or drain when the supply is lost.
    this.tankL -= usedL;
    const levelPct = this.tankLevelPercent;
    let refillL = 0;
    if ((this.faults & F_EMPTY_TANK) !== 0) {
      this.refilling = false;
      this.tankL -= (P.DRAIN_LPM / 60) * dt;
    } else {
      if (levelPct < P.REFILL_START_PCT) this.refilling = true;
      else if (levelPct >= P.REFILL_STOP_PCT) this.refilling = false;
      if (this.refilling) refillL = (P.REFILL_LPM / 60) * dt;
    }
    if (this.tankL < 0) this.tankL = 0;
    const before = this.tankL;
    this.tankL = Math.min(this.tankL + refillL, P.TANK_CAPACITY_L);

    // Temperature: cool supply mixes in during refills, the tank warms towards ambient, plus a
    // small mean-reverting wander.
    if (refillL > 0) {
      this.tempC += (refillL / Math.max(before + refillL, 1)) * (this.supplyC - this.tempC);
    }
    this.tempC += ((this.ambientC - this.tempC) * dt) / P.AMBIENT_TAU_S + (r4 - 0.5) * 0.01;
    this.tempC = clamp(this.tempC, R.temp);

    // Pressure: regulated blanket gas, warmer and fuller reads higher, flow draws it down.
    this.pressurePsi +=
      ((this.pressureTarget() - this.pressurePsi) * dt) / P.PRESSURE_TAU_S + (r2 - 0.5) * 0.04;
    this.pressurePsi = clamp(this.pressurePsi, R.pressure);
  }

  /** Alarm and fault detection, evaluated after the plant moved. */
  private detect(): void {
    if (this.overfillCondition()) {
      this.latchedAlarms |= A_OVERFILL;
      this.trip(TRIP_OVERFILL);
    }
    if (this.tankLevelPercent < P.EMPTY_PCT) this.trip(TRIP_TANK_EMPTY);
    if (this.trips !== 0) this.hold();
  }

  /** Drops every output at once (stop, fault): the sequence keeps its step and resumes there. */
  private hold(): void {
    this.running = false;
    this.valveCmd = false;
    this.conveyorCmd = false;
    this.cappingCmd = false;
    this.conveyorRpm = 0;
    this.speedJitter = 0;
  }

  private rollMinute(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    while (this.bucketSecond < second) {
      this.bucketSecond++;
      const i = this.bucketSecond % 60;
      this.minuteTotal -= this.perSecond[i]!;
      this.perSecond[i] = 0;
    }
  }
}
