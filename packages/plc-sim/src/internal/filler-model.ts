import type { BottleFillerTags, PackmlStatus } from '@ot-mqtt/tag-model';
import type { CommandOutcome, FillerCommand } from '../filler-command.js';
import type { FillerPhase } from '../filler-phase.js';
import { FAULTS } from '../fault.js';
import type { Fault } from '../fault.js';
import { AlarmLatches, TRIP_OVERFILL, TRIP_REJECTS, TRIP_TANK_EMPTY } from './alarm-latches.js';
import { FAULT_BIT, faultBit } from './fault-bits.js';
import { IndexingSequence } from './indexing-sequence.js';
import { Infeed } from './infeed.js';
import { PackmlMachine, STOP_REASONS } from './packml-machine.js';
import { ProductTank } from './product-tank.js';
import { ProductionCounters } from './production-counters.js';
import { R, round2 } from './ranges.js';
import { SeededRandom } from './seeded-random.js';
import { ShiftEngine } from './shift-engine.js';
import type { ShiftOptions } from '../shift-options.js';
import type { ShiftReport } from '../shift-report.js';
import { deriveSeed } from '../derive-seed.js';
import { DEFAULT_LINE_PARAMETERS } from '../line-parameters.js';
import type { LineParameters } from '../line-parameters.js';
import * as P from './line-parameters.js';

/**
 * One filler: the PLC's scan over its rooms — the PackML state machine, the indexing sequence with
 * its stations, the product tank, the counters and the alarm latches. Every room is a small class of plain
 * numeric/boolean fields, so ten thousand fillers stay small and a scan is a few hundred arithmetic
 * operations. Satisfies the public `BottleFiller` interface (checked where `createBottleFiller`
 * returns it).
 */
export class FillerModel {
  readonly machineId: string;
  readonly seed: number;
  private readonly random: SeededRandom;
  // Not private: the shift engine (same package) works on them; the public interface hides them.
  readonly line: IndexingSequence;
  readonly tank: ProductTank;
  readonly counters = new ProductionCounters();
  readonly alarms: AlarmLatches;
  readonly packmlMachine: PackmlMachine;
  /** Fault bits held by the shift's disturbances (not injected: clear-fault does not touch them). */
  disturbed = 0;
  private readonly shift: ShiftEngine | undefined;

  private scans = 0;
  private pendingMs = 0;
  private faults = 0;

  constructor(
    machineId: string,
    seed: number,
    autoStart: boolean,
    capMissProbability: number,
    maxConsecutiveRejects: number,
    shift?: ShiftOptions,
    line: LineParameters = DEFAULT_LINE_PARAMETERS,
  ) {
    this.machineId = machineId;
    this.seed = seed;
    const random = new SeededRandom(seed);
    this.random = random;
    this.alarms = new AlarmLatches(maxConsecutiveRejects);
    // Per-machine constants, drawn in this order (the order is part of what a seed means).
    const nominalFlowLpm = line.nominalFlowLpm * (0.95 + 0.1 * random.next());
    const conveyorSetpointRpm = line.conveyorSpeedRpm * (0.95 + 0.1 * random.next());
    const ambientC = 19 + 5 * random.next();
    const supplyC = 10 + 4 * random.next();
    const tankL = line.tankCapacityL * (0.5 + 0.3 * random.next());
    const tempC = ambientC - 2 + 2 * random.next();
    this.tank = new ProductTank(
      ambientC,
      supplyC,
      tankL,
      tempC,
      line.tankCapacityL,
      line.refillLpm,
    );
    this.tank.pressurePsi = this.tank.pressureTarget(0, nominalFlowLpm);
    this.line = new IndexingSequence(
      new Infeed(random),
      conveyorSetpointRpm,
      nominalFlowLpm,
      random,
      capMissProbability,
      line.bottleVolumeL,
      // A bigger bottle or a slower valve needs longer; the defaults give the 5 s of the first release.
      P.FILL_TIMEOUT_MS *
        (line.bottleVolumeL / DEFAULT_LINE_PARAMETERS.bottleVolumeL) *
        (DEFAULT_LINE_PARAMETERS.nominalFlowLpm / line.nominalFlowLpm),
    );
    this.packmlMachine = new PackmlMachine(autoStart);
    if (shift === undefined) return;
    // A stream of its own, so the physics above draw what they drew without a shift.
    this.shift = new ShiftEngine(deriveSeed(seed, 'shift'), shift);
    if (shift.startTankLevelPercent !== undefined) {
      this.tank.litres = (shift.startTankLevelPercent / 100) * line.tankCapacityL;
      this.tank.pressurePsi = this.tank.pressureTarget(0, nominalFlowLpm);
    }
  }

  /** The shift so far; undefined for a steady line (no `shift` option). */
  get shiftReport(): ShiftReport | undefined {
    return this.shift?.report(this, this.timeMs);
  }

  get scan(): number {
    return this.scans;
  }

  get timeMs(): number {
    return this.scans * P.TICK_MS;
  }

  get phase(): FillerPhase {
    if (!this.packmlMachine.running) return 'stopped';
    if (this.line.indexing) return 'indexing';
    return this.line.fill.bottle || this.line.capper.bottle ? 'working' : 'waiting';
  }

  get tankLevelPercent(): number {
    return this.tank.levelPct;
  }

  get activeFaults(): readonly Fault[] {
    return FAULTS.filter((_, i) => (this.faults & (1 << i)) !== 0);
  }

  get packml(): PackmlStatus {
    return this.packmlMachine.status;
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
    return this.packmlMachine.pushStart();
  }

  stop(): void {
    this.packmlMachine.pushStop();
    this.hold();
  }

  reset(): void {
    this.resetAlarms();
    this.packmlMachine.pushReset(this.alarms.trips === 0);
  }

  setAutoMode(auto: boolean): void {
    this.packmlMachine.setProduction(auto);
    if (!auto) this.hold();
  }

  command(request: FillerCommand): CommandOutcome {
    const refused = this.apply(request);
    // Commands drive the line by hand: the simulated operator stands aside for good.
    if (refused === undefined) this.shift?.handOver();
    return refused === undefined ? { accepted: true } : { accepted: false, reason: refused };
  }

  inject(fault: Fault): void {
    this.faults |= faultBit(fault);
  }

  clearFaults(fault?: Fault): void {
    if (fault === undefined) this.faults = 0;
    else this.faults &= ~faultBit(fault);
    if (((this.faults | this.disturbed) & FAULT_BIT.jamValve) === 0) this.line.fill.unjam();
  }

  snapshot(): BottleFillerTags {
    const { infeed, fill, capper, conveyor } = this.line;
    const alarms = this.alarms;
    const machine = this.packmlMachine;
    const fault = machine.aborted;
    const running = machine.running;
    const autoMode = machine.production;
    const lowLevel = this.tank.levelPct < P.LOW_LEVEL_PCT;
    const noBottle = running && this.line.waitingMs >= P.NO_BOTTLE_TIMEOUT_MS;
    const warning = lowLevel || noBottle || alarms.any || !autoMode;
    return {
      inputs: {
        BottlePresent: infeed.bottle,
        BottleAtFill: fill.bottle,
        BottleAtCap: capper.bottle,
        LowLevel: lowLevel,
        HighLevel: this.tank.levelPct >= P.HIGH_LEVEL_PCT,
        CapPresent: capper.bottle && capper.capOk,
      },
      outputs: {
        FillValve: fill.valveCmd,
        ConveyorMotor: conveyor.cmd,
        CappingMotor: capper.cmd,
        IndicatorGreen: running,
        IndicatorRed: fault,
        IndicatorYellow: !fault && warning,
      },
      analog: {
        FillLevel: round2(fill.bottle ? fill.levelPct : 0, R.fill),
        FillFlowRate: round2(fill.flowLpm, R.flow),
        TankTemperature: round2(
          this.tank.tempC + (this.shift?.sensorNoise(this.scans, 0) ?? 0),
          R.temp,
        ),
        TankPressure: round2(
          this.tank.pressurePsi + (this.shift?.sensorNoise(this.scans, 1) ?? 0),
          R.pressure,
        ),
        ConveyorSpeed: conveyor.speed,
      },
      status: {
        SystemRunning: running,
        Filling: fill.valveCmd,
        Ready: autoMode && !fault,
        Fault: fault,
        AutoMode: autoMode,
      },
      counters: {
        BottlesFilled: this.counters.filled,
        BottlesRejected: this.counters.rejected,
        BottlesPerMinute: this.counters.perMinute,
      },
      alarms: {
        LowProductLevel: lowLevel,
        Overfill: alarms.overfill,
        Underfill: alarms.underfill,
        NoBottle: noBottle,
        CapMissing: alarms.capMissing,
      },
    };
  }

  /** One PLC scan: read inputs, run the sequence, update outputs, then the plant moves for DT. */
  private tick(): void {
    const { line, shift } = this;
    this.scans++;
    const nowMs = this.scans * P.TICK_MS;
    if (shift !== undefined) shift.before(nowMs, this);
    const faults = this.faults | this.disturbed;
    this.counters.roll(nowMs);
    line.infeed.arrive((faults & FAULT_BIT.noBottles) !== 0);

    const machine = this.packmlMachine;
    machine.complete();
    line.fill.valveCmd = false;
    line.conveyor.cmd = false;
    line.capper.cmd = false;
    if (!machine.running) line.waitingMs = 0;
    else if (line.run()) this.discharge();

    this.plant();
    this.detect();
    machine.starved(machine.running && line.waitingMs >= P.NO_BOTTLE_TIMEOUT_MS, line.blocked);
    if (shift !== undefined) shift.after(nowMs, this);
  }

  /** The bottle at the capper left the line: counted, and a run of rejects trips the line. */
  private discharge(): void {
    const { capper } = this.line;
    const reject = capper.reject;
    this.counters.count(reject);
    if (reject) this.shift?.countReject(capper.capOk, capper.levelPct);
    if (this.alarms.countBottle(reject)) this.trip(TRIP_REJECTS, STOP_REASONS.rejects);
  }

  /** The plant over one tick: conveyor, valve and flow, tank, temperature, pressure. */
  private plant(): void {
    const { line } = this;
    const faults = this.faults | this.disturbed;
    // Four draws per scan, always, in this order: what a seed means depends on it.
    const r1 = this.random.next();
    const r2 = this.random.next();
    const r3 = this.random.next();
    const r4 = this.random.next();
    if (line.move(r1, (faults & FAULT_BIT.missCap) !== 0)) this.alarms.latchCapMissing();
    const fill = line.fill;
    const jammed = (faults & FAULT_BIT.jamValve) !== 0;
    const starved = (faults & FAULT_BIT.starveValve) !== 0;
    const usedL = fill.flow(this.tank, jammed, starved, this.alarms, r2, r3);
    const supplyLost = (faults & FAULT_BIT.emptyTank) !== 0;
    this.tank.update(usedL, supplyLost, fill.flowLpm, fill.nominalFlowLpm, r2, r4);
  }

  /** Alarm and fault detection, evaluated after the plant moved. */
  private detect(): void {
    if (this.line.fill.overflowing) {
      this.alarms.latchOverfill();
      this.trip(TRIP_OVERFILL, STOP_REASONS.overfill);
    }
    if (this.tank.levelPct < P.EMPTY_PCT) this.trip(TRIP_TANK_EMPTY, STOP_REASONS.tankEmpty);
    if (this.alarms.trips !== 0) this.hold();
  }

  private trip(cause: number, reason: (typeof STOP_REASONS)[keyof typeof STOP_REASONS]): void {
    this.alarms.trips |= cause;
    this.packmlMachine.trip(reason);
  }

  /** Clears latched alarms and faults whose cause is gone; re-arms the NoBottle timer. */
  private resetAlarms(): void {
    this.alarms.reset(this.line.fill.overflowing, this.tank.levelPct, P.EMPTY_RESET_PCT);
    this.line.waitingMs = 0;
  }

  /** Why the line fault cannot be cleared yet, in words; undefined when it can. */
  private faultBlocking(): string | undefined {
    const level = this.tank.levelPct;
    const remaining = this.alarms.remainingTrips(
      this.line.fill.overflowing,
      level,
      P.EMPTY_RESET_PCT,
    );
    if ((remaining & TRIP_OVERFILL) !== 0) {
      return 'product is still flowing into the full bottle: repair the fill valve first (clear-fault jamValve)';
    }
    if ((remaining & TRIP_TANK_EMPTY) !== 0) {
      const wait =
        (this.faults & FAULT_BIT.emptyTank) !== 0
          ? 'restore the product supply first (clear-fault emptyTank)'
          : 'wait for the refill';
      return `the product tank is at ${level.toFixed(1)} %, below the ${P.EMPTY_RESET_PCT} % needed to reset: ${wait}`;
    }
    return undefined;
  }

  /** A command through the PackML state machine; undefined when accepted, else why not. */
  private apply({ command, fault }: FillerCommand): string | undefined {
    const machine = this.packmlMachine;
    switch (command) {
      case 'start':
        return machine.start();
      case 'stop':
        return this.holdIfAccepted(machine.stop());
      case 'hold':
        return this.holdIfAccepted(machine.hold());
      case 'abort':
        return this.holdIfAccepted(machine.abort());
      case 'unhold':
        return machine.unhold();
      case 'clear':
      case 'reset': {
        const blocked = machine.aborted ? this.faultBlocking() : undefined;
        const refused = command === 'clear' ? machine.clear(blocked) : machine.reset(blocked);
        if (refused === undefined) this.resetAlarms();
        return refused;
      }
      case 'auto':
        if (machine.production) return 'already in auto (mode Production)';
        machine.setProduction(true);
        return undefined;
      case 'manual':
        if (!machine.production) return 'already in manual (mode Manual)';
        machine.setProduction(false);
        this.hold();
        return undefined;
      case 'inject-fault':
        if (fault === undefined || !FAULTS.includes(fault)) {
          return `inject-fault needs a fault: one of ${FAULTS.join(', ')}`;
        }
        if (this.activeFaults.includes(fault)) return `${fault} is already injected`;
        this.inject(fault);
        return undefined;
      case 'clear-fault':
        if (fault !== undefined && !FAULTS.includes(fault)) {
          return `unknown fault ${String(fault)}: one of ${FAULTS.join(', ')}`;
        }
        if (this.faults === 0) return 'no fault is injected';
        if (fault !== undefined && !this.activeFaults.includes(fault)) {
          return `${fault} is not injected (injected: ${this.activeFaults.join(', ')})`;
        }
        this.clearFaults(fault);
        return undefined;
      default:
        return `unknown command ${JSON.stringify(String(command))}`;
    }
  }

  private holdIfAccepted(refused: string | undefined): string | undefined {
    if (refused === undefined) this.hold();
    return refused;
  }

  /** Drops every output at once (stop, fault): the sequence keeps its step and resumes there. */
  private hold(): void {
    this.line.fill.valveCmd = false;
    this.line.capper.cmd = false;
    this.line.conveyor.brake();
  }
}
