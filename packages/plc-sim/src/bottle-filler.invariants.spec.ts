import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BottleFillerTagsSchema, TAGS } from '@ot-mqtt/tag-model';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { createBottleFiller, SCAN_MS } from './bottle-filler.js';
import type { BottleFiller } from './bottle-filler.js';
import { FAULTS } from './fault.js';
import type { Fault } from './fault.js';
import type { ShiftOptions } from './shift-options.js';
import { anyShiftArb } from './shipped-shifts.test-helper.js';

type Action =
  | { kind: 'step'; ms: number }
  | { kind: 'start' | 'stop' | 'reset' | 'auto' | 'manual' }
  | { kind: 'inject'; fault: Fault }
  | { kind: 'clear'; fault: Fault | undefined };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 1, max: 60_000 }).map((ms) => ({ kind: 'step' as const, ms })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('start', 'stop', 'reset', 'auto', 'manual')
      .map((kind) => ({ kind })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...FAULTS).map((fault) => ({ kind: 'inject' as const, fault })),
  },
  {
    weight: 1,
    arbitrary: fc
      .option(fc.constantFrom(...FAULTS), { nil: undefined })
      .map((fault) => ({ kind: 'clear' as const, fault })),
  },
);

const seedArb = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

function apply(sim: BottleFiller, action: Action, afterScan: () => void): void {
  switch (action.kind) {
    case 'step': {
      // Scan by scan so that the invariants are checked in every PLC scan, not just at the end.
      const whole = Math.floor(action.ms / SCAN_MS);
      for (let i = 0; i < whole; i++) {
        sim.step(SCAN_MS);
        afterScan();
      }
      return;
    }
    case 'start':
      sim.start();
      return;
    case 'stop':
      sim.stop();
      return;
    case 'reset':
      sim.reset();
      return;
    case 'auto':
      sim.setAutoMode(true);
      return;
    case 'manual':
      sim.setAutoMode(false);
      return;
    case 'inject':
      sim.inject(action.fault);
      return;
    case 'clear':
      sim.clearFaults(action.fault);
      return;
  }
}

const ANALOG = Object.entries(TAGS.analog);

/** Plain check: `expect` costs microseconds, and this runs a few hundred thousand times per file. */
function assert(condition: boolean, message: string, tags: BottleFillerTags): void {
  if (!condition) throw new Error(`${message}\n${JSON.stringify(tags)}`);
}

/** Watches one simulator scan after scan and fails on the first broken invariant. */
class InvariantChecker {
  private previous: BottleFillerTags;
  private bottlesLeft = 0;
  private readonly leftAtSecond: number[] = [];
  scans = 0;

  constructor(private readonly sim: BottleFiller) {
    this.previous = sim.snapshot();
  }

  check(validateSchema = false): void {
    const t = this.sim.snapshot();
    const p = this.previous;
    const { inputs, outputs, analog, status, counters, alarms } = t;
    const at = `scan ${this.sim.scan}: `;
    this.scans++;
    if (validateSchema) {
      const result = BottleFillerTagsSchema.safeParse(t);
      assert(result.success, `${at}schema: ${result.error?.message}`, t);
    }

    // The valve opens only onto a bottle standing at the filler.
    if (outputs.FillValve) {
      assert(inputs.BottleAtFill, `${at}valve open without a bottle at the filler`, t);
      assert(!outputs.ConveyorMotor, `${at}valve open with the conveyor running`, t);
      assert(analog.ConveyorSpeed === 0, `${at}valve open with the conveyor moving`, t);
    }
    if (!outputs.ConveyorMotor) assert(analog.ConveyorSpeed === 0, `${at}speed with motor off`, t);
    assert(status.Filling === outputs.FillValve, `${at}Filling ≠ FillValve`, t);

    // Counters never go backwards; every bottle leaving the capper is counted exactly once.
    assert(counters.BottlesFilled >= p.counters.BottlesFilled, `${at}BottlesFilled decreased`, t);
    assert(
      counters.BottlesRejected >= p.counters.BottlesRejected,
      `${at}BottlesRejected decreased`,
      t,
    );
    const second = Math.floor(this.sim.timeMs / 1000);
    if (p.inputs.BottleAtCap && !inputs.BottleAtCap) {
      this.bottlesLeft++;
      this.leftAtSecond.push(second);
    }
    assert(
      counters.BottlesFilled + counters.BottlesRejected === this.bottlesLeft,
      `${at}filled + rejected ≠ ${this.bottlesLeft} bottles that left`,
      t,
    );
    const bpm = counters.BottlesPerMinute;
    // Rolling rate: bottles that left in this second and the 59 before it.
    while (this.leftAtSecond.length > 0 && this.leftAtSecond[0]! <= second - 60) {
      this.leftAtSecond.shift();
    }
    assert(bpm === this.leftAtSecond.length, `${at}BottlesPerMinute ${bpm}`, t);

    for (const [name, meta] of ANALOG) {
      const v = analog[name as keyof typeof analog];
      assert(
        Number.isFinite(v) && v >= meta.range.min && v <= meta.range.max,
        `${at}${name} = ${v} outside ${meta.range.min}..${meta.range.max}`,
        t,
      );
    }

    // Indicators and status.
    assert(outputs.IndicatorRed === status.Fault, `${at}red ≠ Fault`, t);
    assert(outputs.IndicatorGreen === status.SystemRunning, `${at}green ≠ SystemRunning`, t);
    assert(!(outputs.IndicatorYellow && status.Fault), `${at}yellow with red`, t);
    if (status.SystemRunning) {
      assert(!status.Fault && status.AutoMode, `${at}running while faulted or in manual`, t);
    }
    assert(status.Ready === (status.AutoMode && !status.Fault), `${at}Ready`, t);
    if (!status.SystemRunning) {
      assert(
        !outputs.FillValve && !outputs.ConveyorMotor && !outputs.CappingMotor,
        `${at}outputs on while not running`,
        t,
      );
    }
    if (!status.Fault && (alarms.LowProductLevel || alarms.NoBottle || !status.AutoMode)) {
      assert(outputs.IndicatorYellow, `${at}warning without yellow`, t);
    }

    // Alarms follow their conditions.
    assert(alarms.LowProductLevel === inputs.LowLevel, `${at}LowProductLevel ≠ LowLevel`, t);
    assert(!(inputs.LowLevel && inputs.HighLevel), `${at}LowLevel and HighLevel`, t);
    if (alarms.NoBottle) {
      assert(status.SystemRunning && !inputs.BottleAtFill, `${at}NoBottle without its cause`, t);
    }
    if (alarms.Overfill) assert(status.Fault, `${at}Overfill without Fault`, t);
    if (inputs.CapPresent) assert(inputs.BottleAtCap, `${at}CapPresent without a bottle`, t);
    this.previous = t;
  }
}

describe('bottle filler invariants (property-based)', () => {
  it('hold in every scan under any sequence of operator commands and faults', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(actionArb, { minLength: 15, maxLength: 40 }),
        (seed, actions) => {
          const sim = createBottleFiller({ seed });
          const checker = new InvariantChecker(sim);
          for (const action of actions) {
            apply(sim, action, () => checker.check(checker.scans % 97 === 0));
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);

  it('hold over long unattended runs (an hour of simulated time per seed)', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const sim = createBottleFiller({ seed, machineId: `filler-${seed}` });
        const checker = new InvariantChecker(sim);
        for (let i = 0; i < 36_000; i++) {
          sim.step(SCAN_MS);
          checker.check(i % 1000 === 0);
        }
        expect(sim.snapshot().counters.BottlesFilled).toBeGreaterThan(700);
      }),
      { numRuns: 3 },
    );
  }, 60_000);

  it('hold in every scan of any shift (shipped or random), with operator commands and faults in between', () => {
    fc.assert(
      fc.property(
        seedArb,
        anyShiftArb,
        fc.array(actionArb, { minLength: 5, maxLength: 20 }),
        (seed, shift: ShiftOptions, actions) => {
          const sim = createBottleFiller({ seed, shift });
          const checker = new InvariantChecker(sim);
          // Two simulated hours unattended (disturbances, operator, schedule), then the commands.
          for (let i = 0; i < 72_000; i++) {
            sim.step(SCAN_MS);
            checker.check(i % 2000 === 0);
          }
          for (const action of actions) apply(sim, action, () => checker.check());
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);

  const ALARM_OF: Record<Fault, keyof BottleFillerTags['alarms']> = {
    emptyTank: 'LowProductLevel',
    missCap: 'CapMissing',
    jamValve: 'Overfill',
    starveValve: 'Underfill',
    noBottles: 'NoBottle',
  };

  it('raise each alarm when its fault is injected and clear every alarm after repair and reset', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.constantFrom(...FAULTS),
        fc.integer({ min: 0, max: 600_000 }),
        (seed, fault, warmUpMs) => {
          const sim = createBottleFiller({ seed, capMissProbability: 0 });
          sim.step(warmUpMs);
          sim.inject(fault);
          const alarm = ALARM_OF[fault];
          let raised = false;
          for (let t = 0; t < 120_000 && !raised; t += SCAN_MS) {
            sim.step(SCAN_MS);
            raised = sim.snapshot().alarms[alarm];
          }
          expect(raised, `${alarm} after ${fault}`).toBe(true);

          sim.clearFaults();
          sim.stop();
          for (let t = 0; t < 600_000 && sim.tankLevelPercent < 25; t += 1000) sim.step(1000);
          sim.reset();
          const { alarms, status, outputs } = sim.snapshot();
          expect(alarms).toEqual({
            LowProductLevel: false,
            Overfill: false,
            Underfill: false,
            NoBottle: false,
            CapMissing: false,
          });
          expect(status.Fault).toBe(false);
          expect(outputs.IndicatorRed).toBe(false);
          expect(sim.start()).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('are deterministic: the same seed and commands give the same tags bit for bit', () => {
    fc.assert(
      fc.property(seedArb, fc.array(actionArb, { maxLength: 20 }), (seed, actions) => {
        const a = createBottleFiller({ seed });
        const b = createBottleFiller({ seed });
        for (const action of actions) {
          apply(a, action, () => undefined);
          apply(b, action, () => undefined);
          expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('differ between seeds', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (s1, s2) => {
        fc.pre(s1 !== s2);
        const a = createBottleFiller({ seed: s1 });
        const b = createBottleFiller({ seed: s2 });
        const traceA: string[] = [];
        const traceB: string[] = [];
        for (let i = 0; i < 30; i++) {
          a.step(2000);
          b.step(2000);
          traceA.push(JSON.stringify(a.snapshot().analog));
          traceB.push(JSON.stringify(b.snapshot().analog));
        }
        expect(traceA).not.toEqual(traceB);
      }),
      { numRuns: 30 },
    );
  });

  it('do not depend on how simulated time is split into steps (integer milliseconds)', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 60 }),
        (seed, chunks) => {
          const split = createBottleFiller({ seed });
          const whole = createBottleFiller({ seed });
          for (const ms of chunks) split.step(ms);
          whole.step(chunks.reduce((s, ms) => s + ms, 0));
          expect(split.scan).toBe(whole.scan);
          expect(JSON.stringify(split.snapshot())).toBe(JSON.stringify(whole.snapshot()));
        },
      ),
      { numRuns: 50 },
    );
  });
});
