import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBottleFiller, DEFAULT_SEED } from './bottle-filler.js';
import { DISTURBANCE_CAUSES, PLAUSIBLE_SHIFT } from './shift-options.js';
import type { DisturbanceCause, DisturbanceRate, ShiftOptions } from './shift-options.js';
import { shiftOee } from './shift-report.js';
import type { ShiftReport } from './shift-report.js';
import { anyShiftArb } from './shipped-shifts.test-helper.js';

const HOUR = 3600_000;

function runShift(seed: number, shift: ShiftOptions, ms = 8 * HOUR): ShiftReport {
  const filler = createBottleFiller({ seed, machineId: `filler-${seed}`, shift });
  filler.step(ms);
  return filler.shiftReport!;
}

describe('shift: disturbances, operator and drifts', () => {
  it('leaves the steady line alone: no shift, no report', () => {
    expect(createBottleFiller().shiftReport).toBeUndefined();
  });

  it('is deterministic and split-invariant under any shift, shipped or random (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        anyShiftArb,
        fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 1, maxLength: 12 }),
        (seed, shift, splits) => {
          const total = splits.reduce((a, b) => a + b, 0);
          const whole = createBottleFiller({ seed, shift });
          whole.step(total);
          const split = createBottleFiller({ seed, shift });
          for (const ms of splits) split.step(ms);
          expect(split.snapshot()).toEqual(whole.snapshot());
          expect(split.packml).toEqual(whole.packml);
          expect(split.shiftReport).toEqual(whole.shiftReport);
        },
      ),
      { numRuns: 20 },
    );
  }, 90_000);

  it('gives different shifts to different machines of one seed', () => {
    const a = runShift(1, PLAUSIBLE_SHIFT, 2 * HOUR);
    const b = createBottleFiller({ seed: 1, machineId: 'filler-02', shift: PLAUSIBLE_SHIFT });
    b.step(2 * HOUR);
    expect(b.shiftReport).not.toEqual(a);
  });

  // Bands of an 8-hour shift at the defaults. Sources: Nakajima's world-class OEE of ~85 %
  // (availability 90 %, performance 95 %, quality 99.9 %); typical discrete lines run at ~60 %.
  // A small filler with micro-stops every quarter hour and a breakdown a shift lands in between.
  it('lands an 8-hour shift at the defaults in plausible OEE bands, each alarm raised', () => {
    const report = runShift(DEFAULT_SEED, PLAUSIBLE_SHIFT);
    const { availability, performance, quality, oee } = shiftOee(report);
    expect(availability).toBeGreaterThan(0.8);
    expect(availability).toBeLessThan(0.97);
    expect(performance).toBeGreaterThan(0.7);
    expect(performance).toBeLessThan(0.95);
    expect(quality).toBeGreaterThan(0.95);
    expect(quality).toBeLessThan(0.998);
    expect(oee).toBeGreaterThan(0.5);
    expect(oee).toBeLessThan(0.85);
    for (const [alarm, raised] of Object.entries(report.alarmRaises)) {
      expect(raised, alarm).toBeGreaterThan(0);
    }
    expect(report.operatorResets).toBeGreaterThan(0);
    const { noCap, underfill, overfill } = report.rejectsByCause;
    expect(noCap + underfill + overfill).toBe(report.rejected);
    expect(underfill).toBeGreaterThan(0); // the fill spread: ~0.6 % of bottles
    expect(noCap).toBeGreaterThan(0); // cap feed empty
  }, 30_000);

  it('measures MTBF and MTTR of every cause within tolerance of the configured values', () => {
    // Every cause at one brisk rate, so that twelve 8-hour shifts give ~300 failures per cause:
    // the standard error is ~6 % for the exponential MTBF and ~3 % for the log-normal MTTR.
    const rate: DisturbanceRate = { mtbfMinutes: 20, mttrSeconds: 90, repairSpread: 0.5 };
    const shift: ShiftOptions = {
      ...PLAUSIBLE_SHIFT,
      disturbances: Object.fromEntries(DISTURBANCE_CAUSES.map((c) => [c, rate])),
    };
    const sums = Object.fromEntries(
      DISTURBANCE_CAUSES.map((c) => [c, { failures: 0, repairs: 0, upMs: 0, repairMs: 0 }]),
    ) as Record<
      DisturbanceCause,
      { failures: number; repairs: number; upMs: number; repairMs: number }
    >;
    for (let seed = 1; seed <= 12; seed++) {
      const report = runShift(seed, shift);
      for (const cause of DISTURBANCE_CAUSES) {
        const s = report.causes[cause];
        const sum = sums[cause];
        sum.failures += s.failures;
        sum.repairs += s.repairs;
        sum.upMs += s.upMs;
        sum.repairMs += s.repairMs;
      }
    }
    for (const cause of DISTURBANCE_CAUSES) {
      const { failures, repairs, upMs, repairMs } = sums[cause];
      const mttrS = repairMs / repairs / 1000;
      const mtbfMin = upMs / failures / 60_000;
      expect(mttrS, `${cause} MTTR`).toBeGreaterThan(90 * 0.88);
      expect(mttrS, `${cause} MTTR`).toBeLessThan(90 * 1.12);
      // A late supply waits for the refill request it delays (a refill cycle is ~20 min), so its
      // time between failures is the configured one plus that wait.
      const extra = cause === 'productSupplyLate' ? 15 : 0;
      expect(mtbfMin, `${cause} MTBF`).toBeGreaterThan(20 * 0.8);
      expect(mtbfMin, `${cause} MTBF`).toBeLessThan(20 * 1.2 + extra);
    }
  }, 120_000);

  it('runs a schedule: an injected empty tank at 10:00, cleared at 10:20, a changeover at 12:00', () => {
    const at = (hhmm: number) => (hhmm - 6) * HOUR; // the shift starts at 06:00
    const filler = createBottleFiller({
      shift: {
        operator: PLAUSIBLE_SHIFT.operator!,
        schedule: [
          { atMs: at(10), action: 'inject', fault: 'emptyTank' },
          { atMs: at(10 + 20 / 60), action: 'clear', fault: 'emptyTank' },
          { atMs: at(12), action: 'changeover', durationMs: 30 * 60_000 },
        ],
      },
    });
    filler.step(at(10) + 60_000);
    expect(filler.snapshot().alarms.LowProductLevel).toBe(true);
    expect(filler.packml.state).toBe('Aborted');
    filler.step(at(11) - filler.timeMs);
    expect(filler.snapshot().status.SystemRunning).toBe(true); // refilled, the operator restarted
    filler.step(at(12) + 10 * 60_000 - filler.timeMs);
    expect(filler.packml.state).toBe('Stopped');
    filler.step(at(12) + 31 * 60_000 - filler.timeMs);
    expect(filler.packml.state).toBe('Execute');
    const report = filler.shiftReport!;
    expect(report.plannedMs).toBe(report.timeMs - 30 * 60_000);
    expect(report.faultedMsByReason['product tank empty']).toBeGreaterThan(0);
  });

  it('sends the simulated operator away once commands drive the line', () => {
    const filler = createBottleFiller({ shift: { operator: PLAUSIBLE_SHIFT.operator! } });
    filler.inject('jamValve');
    filler.step(60_000);
    filler.clearFaults();
    filler.step(10 * 60_000);
    expect(filler.packml.state).toBe('Execute'); // the operator reset and restarted
    expect(filler.command({ command: 'inject-fault', fault: 'jamValve' }).accepted).toBe(true);
    filler.step(60_000);
    filler.clearFaults();
    filler.step(10 * 60_000);
    expect(filler.packml.state).toBe('Aborted'); // nobody but the commander resets now
    expect(filler.shiftReport?.operatorOnDuty).toBe(false);
  });

  it('refuses nonsense options naming the field', () => {
    expect(() =>
      createBottleFiller({
        shift: { disturbances: { infeedJam: { mtbfMinutes: 0, mttrSeconds: 1, repairSpread: 0 } } },
      }),
    ).toThrow('shift.disturbances.infeedJam.mtbfMinutes must be a number > 0, got 0');
    expect(() =>
      createBottleFiller({ shift: { schedule: [{ atMs: 0, action: 'changeover' }] } }),
    ).toThrow('shift.schedule[0].durationMs');
  });
});
