// Shift report (issue 17; `npx nx run bench:bench -- --only=shift-report`): an 8-hour shift of every
// shipped scenario at the default seed — OEE, downtime by cause, alarms per hour — and how much
// faster than real time the simulator steps a shift, beside the steady line (no shift) measured in
// the same run as the baseline. Moved from packages/plc-sim (`plc-sim:bench`) in issue 10: it drives
// plc-sim's public API only.
import {
  createBottleFiller,
  DEFAULT_SEED,
  SHIPPED_SCENARIOS,
  loadScenario,
  shiftOee,
  type ShiftReport,
  type ShippedScenario,
} from '@ot-mqtt/plc-sim';
import type { BenchContext } from '../harness/bench-context.js';
import { finishRun, startRun, type GoalResult, type Row } from '../harness/report.js';
import { median } from '../harness/stats.js';

const HOUR_MS = 3600_000;

function cpuMsOf(run: () => void): number {
  const c0 = process.cpuUsage();
  run();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** A ratio as a percentage with one decimal, `null` (printed `–`) when undefined. */
const pct = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 1000) / 10 : null);
const pctText = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** One scenario's shift at the default seed: the median CPU time of three identical shifts. */
function shiftOf(
  scenario: ShippedScenario,
  shiftMs: number,
): { report: ShiftReport; cpuMs: number } {
  const { filler: options } = loadScenario(scenario);
  // The median of three identical shifts: the first of a scenario also pays for the JIT.
  const runs = [0, 1, 2].map(() => {
    const filler = createBottleFiller({ seed: DEFAULT_SEED, ...options });
    return { filler, cpuMs: cpuMsOf(() => filler.step(shiftMs)) };
  });
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
  return { report, cpuMs: median(runs.map((r) => r.cpuMs)) };
}

/** A scenario's downtime Pareto, alarms and rejects on one line; undefined when it never stopped. */
function downtimeLine(scenario: string, r: ShiftReport): string | undefined {
  const down = Object.entries(r.downtimeMsByReason).sort((a, b) => b[1] - a[1]);
  if (down.length === 0) return undefined;
  const raised = Object.entries(r.alarmRaises)
    .map(([alarm, n]) => `${alarm} ${n}`)
    .join(', ');
  const { noCap, underfill, overfill } = r.rejectsByCause;
  return (
    `${scenario}: downtime by cause (planned time out of Execute) ` +
    down.map(([reason, ms]) => `${minutes(ms)} ${reason}`).join(', ') +
    `; alarms raised: ${raised}; operator resets: ${r.operatorResets}; ` +
    `rejects: ${underfill} underfilled, ${overfill} overfilled, ${noCap} without a cap`
  );
}

export async function runShiftReport(ctx: BenchContext): Promise<string> {
  const run = startRun();
  const shiftHours = ctx.smoke ? 0.5 : 8;
  const seeds = ctx.smoke ? 2 : 20;
  const shiftMs = shiftHours * HOUR_MS;
  const rows: Row[] = [];
  const details: string[] = [];
  const speed: Record<string, number> = {};
  for (const scenario of SHIPPED_SCENARIOS) {
    const { report: r, cpuMs } = shiftOf(scenario, shiftMs);
    const oee = shiftOee(r);
    const alarms = Object.values(r.alarmRaises).reduce((a, b) => a + b, 0);
    speed[scenario] = Math.round(shiftMs / Math.max(cpuMs, 0.001));
    rows.push({
      scenario,
      'A %': pct(oee.availability),
      'P %': pct(oee.performance),
      'Q %': pct(oee.quality),
      'OEE %': pct(oee.oee),
      good: r.good,
      rejected: r.rejected,
      'alarms/h': Math.round((alarms / shiftHours) * 10) / 10,
      'CPU ms': Math.round(cpuMs),
      '× real time': speed[scenario],
    });
    const line = downtimeLine(scenario, r);
    if (line !== undefined) details.push(line);
  }
  const oees: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const filler = createBottleFiller({ seed, ...loadScenario('plausible').filler });
    filler.step(shiftMs);
    oees.push(shiftOee(filler.shiftReport!).oee);
  }
  const mean = oees.reduce((a, b) => a + b, 0) / oees.length;
  const fmt = (n: number | undefined) => `${(n ?? Number.NaN).toLocaleString('en')}×`;
  const goals: GoalResult[] = [
    {
      goal: `speed: simulated time per CPU time of a ${shiftHours} h shift, beside the steady line`,
      measured: `plausible ${fmt(speed['plausible'])}; steady line (baseline) ${fmt(speed['steady'])}`,
      met: null,
    },
    {
      goal: `OEE of the plausible scenario over ${seeds} seeds (bands: typical ~60 %, world class ~85 %)`,
      measured: `mean ${pctText(mean)}, range ${pctText(Math.min(...oees))} … ${pctText(Math.max(...oees))}`,
      met: null,
    },
  ];
  return finishRun(ctx, run, {
    name: 'shift-report',
    title: `Shift report — ${shiftHours} h shift of every shipped scenario, seed ${DEFAULT_SEED} (plc-sim's public API)`,
    brokerSettings: {},
    brokerConfig: 'none: in-process simulation only',
    baseline:
      'the steady scenario (no shift engine: no disturbances, operator or drifts), same run',
    rows,
    goals,
    notes: [
      ...details,
      'Until issue 10 this was `npx nx run plc-sim:bench` (`--only=shift`; reports/bench/plc-sim-shift.json); same shifts, same seeds.',
      `Each scenario: ${shiftHours} h stepped in one call, three identical times; CPU ms is the median (the first also pays for the JIT), × real time = shift / CPU time.`,
      'A, P, Q and OEE by shiftOee() of the shift report (the steady line’s counted from its tags: it never stops); alarms/h = alarm raises / shift hours.',
      `Plausible over seeds: seeds 1 to ${seeds}, one shift each.`,
    ],
  });
}
