// Shift report (issue 17): an 8-hour shift of every shipped scenario at the default seed — OEE,
// downtime by cause, alarms per hour — and how much faster than real time the simulator steps a
// shift, beside the steady line (no shift) measured in the same run as the baseline.
import os from 'node:os';
import { createBottleFiller, DEFAULT_SEED } from '../bottle-filler.js';
import { SHIPPED_SCENARIOS, loadScenario } from '../scenario.js';
import { shiftOee } from '../shift-report.js';
import type { ShiftOee, ShiftReport } from '../shift-report.js';
import { describeHost } from './host.js';

const HOUR_MS = 3600_000;

/** One scenario's shift. */
export interface ShiftRow {
  scenario: string;
  oee: ShiftOee;
  report: ShiftReport;
  /** CPU ms of this process to simulate the shift. */
  cpuMs: number;
  /** Simulated time per CPU time. */
  speedFactor: number;
}

/** The report, as written to reports/bench/plc-sim-shift.json. */
export interface ShiftBenchReport {
  benchmark: 'plc-sim shift report';
  date: string;
  machine: { cpuModel: string; cores: number; node: string; loadAverage: number[] };
  shiftHours: number;
  seed: number;
  rows: ShiftRow[];
  /** OEE over `seeds` shifts of the plausible scenario: mean and range. */
  plausibleOverSeeds: { seeds: number; mean: number; min: number; max: number };
}

function cpuMsOf(run: () => void): number {
  const c0 = process.cpuUsage();
  run();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Runs the shifts (`shiftHours` each) and, for the plausible one, `seeds` seeds. */
export function measureShifts(shiftHours = 8, seeds = 20): ShiftBenchReport {
  const shiftMs = shiftHours * HOUR_MS;
  const rows = SHIPPED_SCENARIOS.map((scenario): ShiftRow => {
    const { filler: options } = loadScenario(scenario);
    // The median of three identical shifts: the first of a scenario also pays for the JIT.
    const runs = [0, 1, 2].map(() => {
      const filler = createBottleFiller({ seed: DEFAULT_SEED, ...options });
      return { filler, cpuMs: cpuMsOf(() => filler.step(shiftMs)) };
    });
    const cpuMs = runs.map((r) => r.cpuMs).sort((a, b) => a - b)[1]!;
    const filler = runs[0]!.filler;
    // The steady line has no shift engine: count its shift from the tags (it never stops).
    const report: ShiftReport = filler.shiftReport ?? {
      timeMs: shiftMs,
      plannedMs: shiftMs,
      runMs: shiftMs,
      faultedMs: 0,
      good: filler.snapshot().counters.BottlesFilled,
      rejected: filler.snapshot().counters.BottlesRejected,
      causes: {} as ShiftReport['causes'],
      alarmRaises: {} as ShiftReport['alarmRaises'],
      faultedMsByReason: {},
      downtimeMsByReason: {},
      rejectsByCause: { noCap: 0, underfill: 0, overfill: 0 },
      operatorResets: 0,
      operatorOnDuty: false,
    };
    return {
      scenario,
      oee: shiftOee(report),
      report,
      cpuMs: Math.round(cpuMs),
      speedFactor: Math.round(shiftMs / Math.max(cpuMs, 0.001)),
    };
  });
  const oees: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const filler = createBottleFiller({ seed, ...loadScenario('plausible').filler });
    filler.step(shiftMs);
    oees.push(shiftOee(filler.shiftReport!).oee);
  }
  return {
    benchmark: 'plc-sim shift report',
    date: new Date().toISOString(),
    machine: {
      ...describeHost(),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    shiftHours,
    seed: DEFAULT_SEED,
    rows,
    plausibleOverSeeds: {
      seeds,
      mean: oees.reduce((a, b) => a + b, 0) / oees.length,
      min: Math.min(...oees),
      max: Math.max(...oees),
    },
  };
}

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** The report as text: one summary table, then each scenario's downtime Pareto and alarms. */
export function formatShiftReport(report: ShiftBenchReport): string {
  const lines = [
    `plc-sim shift report — ${report.shiftHours} h shifts, seed ${report.seed}, ` +
      `load average ${report.machine.loadAverage.join(' ')} on ${report.machine.cores} cores`,
    '',
    'scenario       A        P        Q        OEE      good   rejected  alarms/h  CPU ms  × real time',
  ];
  for (const { scenario, oee, report: r, cpuMs, speedFactor } of report.rows) {
    const alarms = Object.values(r.alarmRaises).reduce((a, b) => a + b, 0);
    lines.push(
      [
        scenario.padEnd(13),
        pct(oee.availability).padStart(7),
        pct(oee.performance).padStart(8),
        pct(oee.quality).padStart(8),
        pct(oee.oee).padStart(8),
        String(r.good).padStart(6),
        String(r.rejected).padStart(10),
        (alarms / report.shiftHours).toFixed(1).padStart(9),
        String(cpuMs).padStart(7),
        `${speedFactor.toLocaleString('en')}×`.padStart(12),
      ].join(' '),
    );
  }
  const s = report.plausibleOverSeeds;
  lines.push(
    '',
    `plausible over ${s.seeds} seeds: OEE mean ${pct(s.mean)}, range ${pct(s.min)} … ${pct(s.max)} ` +
      '(bands: typical ~60 %, world class ~85 %)',
  );
  for (const { scenario, report: r } of report.rows) {
    const down = Object.entries(r.downtimeMsByReason).sort((a, b) => b[1] - a[1]);
    if (down.length === 0) continue;
    lines.push('', `${scenario}: downtime by cause (planned time out of Execute)`);
    for (const [reason, ms] of down) lines.push(`  ${minutes(ms).padStart(10)}  ${reason}`);
    const raised = Object.entries(r.alarmRaises)
      .map(([alarm, n]) => `${alarm} ${n}`)
      .join(', ');
    const { noCap, underfill, overfill } = r.rejectsByCause;
    lines.push(`  alarms raised: ${raised}; operator resets: ${r.operatorResets}`);
    lines.push(
      `  rejects: ${underfill} underfilled, ${overfill} overfilled, ${noCap} without a cap`,
    );
  }
  return lines.join('\n');
}
