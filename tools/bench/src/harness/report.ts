import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { describeMachine, type MachineDescription } from './machine.js';
import { WORKSPACE_ROOT } from './workspace-paths.js';
import { round } from './stats.js';

/** A cell of a results table: numbers are rounded for display, `null` prints as `–`. */
export type Cell = string | number | boolean | null;

/** One row of a results table. */
export type Row = Record<string, Cell>;

/** A goal of issue 6 and whether this run met it. */
export interface GoalResult {
  readonly goal: string;
  readonly measured: string;
  /** `null` when it could not be measured (e.g. the component is not built yet). */
  readonly met: boolean | null;
  readonly note?: string;
}

/** What every bench writes to `reports/bench/<name>.json`. */
export interface BenchReport {
  readonly name: string;
  readonly title: string;
  readonly smoke: boolean;
  readonly command: string;
  readonly startedAt: string;
  readonly durationS: number;
  readonly machine: MachineDescription;
  readonly broker: Record<string, unknown>;
  readonly baseline: string;
  readonly method: readonly string[];
  readonly rows: readonly Row[];
  readonly goals: readonly GoalResult[];
  readonly notes: readonly string[];
}

/** Default report directory (`reports/bench` at the workspace root; git-ignored). */
export const DEFAULT_REPORT_DIR = join(WORKSPACE_ROOT, 'reports', 'bench');

function show(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '–';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(round(cell)) : '–';
  return String(cell);
}

/** Formats rows as a fixed-width text table with the given columns (default: keys of the first row). */
export function formatTable(rows: readonly Row[], columns?: readonly string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => show(r[c]).length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(cols),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(cols.map((c) => show(r[c])))),
  ].join('\n');
}

/** Rounds every number of a row for the JSON report. */
function roundRow(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'number' ? (Number.isFinite(v) ? round(v) : null) : v,
    ]),
  );
}

/** Prints the report (table, goals, notes) and writes its JSON; resolves to the JSON path. */
export async function publishReport(
  report: BenchReport,
  options: {
    readonly reportDir?: string;
    readonly columns?: readonly string[];
    readonly log?: (line: string) => void;
  } = {},
): Promise<string> {
  const log = options.log ?? ((line: string) => console.log(line));
  log(
    `\n=== ${report.title}${report.smoke ? ' (smoke run: harness check, not a measurement)' : ''} ===`,
  );
  log(`baseline: ${report.baseline}`);
  log(formatTable(report.rows, options.columns));
  for (const g of report.goals) {
    const verdict = g.met === null ? 'NO VERDICT' : g.met ? 'MET' : 'NOT MET';
    log(`goal: ${g.goal} — measured ${g.measured} → ${verdict}${g.note ? ` (${g.note})` : ''}`);
  }
  for (const n of report.notes) log(`note: ${n}`);
  const dir = options.reportDir ?? DEFAULT_REPORT_DIR;
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${report.name}.json`);
  await writeFile(
    path,
    JSON.stringify({ ...report, rows: report.rows.map(roundRow) }, null, 2) + '\n',
  );
  log(`report: ${path}`);
  return path;
}

/** When a bench started and on what machine: {@link startRun} at its start, {@link finishRun} at its end. */
export interface BenchRun {
  readonly started: number;
  readonly startedAt: string;
  readonly machine: MachineDescription;
}

/** Marks the start of a bench run (the load average is read now, before the bench adds its own). */
export function startRun(): BenchRun {
  return {
    started: performance.now(),
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
  };
}

/**
 * What a bench reports (its last three notes describe the method); the rest of its
 * {@link BenchReport} comes from its run and context.
 */
export type RunResult = Pick<
  BenchReport,
  'name' | 'title' | 'baseline' | 'rows' | 'goals' | 'notes'
> & {
  /** The broker settings that shape the figures (`BenchBroker.settings`). */
  readonly brokerSettings: Record<string, string>;
  /** Which broker config it ran on (default: the development profile on an ephemeral port). */
  readonly brokerConfig?: string;
};

/** Publishes the report of a bench run, in the one shared format. */
export function finishRun(ctx: BenchContext, run: BenchRun, result: RunResult): Promise<string> {
  const { brokerSettings, brokerConfig, ...rest } = result;
  return publishReport(
    {
      ...rest,
      smoke: ctx.smoke,
      command: ctx.command,
      startedAt: run.startedAt,
      durationS: (performance.now() - run.started) / 1000,
      machine: run.machine,
      broker: {
        config:
          brokerConfig ?? 'infra/mosquitto/config/mosquitto.conf (dev profile), ephemeral port',
        ...brokerSettings,
      },
      method: result.notes.slice(-3),
    },
    { ...(ctx.reportDir ? { reportDir: ctx.reportDir } : {}), log: ctx.log },
  );
}
