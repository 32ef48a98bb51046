import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { BottleFillerOptions } from './bottle-filler.js';
import { FAULTS } from './fault.js';
import { definedOnly } from './internal/defined-only.js';
import { DISTURBANCE_CAUSES, PLAUSIBLE_SHIFT } from './shift-options.js';
import { SHIPPED_SCENARIO_FILES } from './shipped-scenario-files.js';
import type { DisturbanceCause, DisturbanceRate, ShiftOptions } from './shift-options.js';

/** Scenarios shipped with the package, by name (`loadScenario('bad-shift')`). */
export const SHIPPED_SCENARIOS = [
  'plausible',
  'steady',
  'good-shift',
  'bad-shift',
  'starved-line',
] as const;

/** A shipped scenario's name; see {@link SHIPPED_SCENARIOS}. */
export type ShippedScenario = (typeof SHIPPED_SCENARIOS)[number];

/** A scenario read from a file: what to pass to `createBottleFiller` besides seed and machine id. */
export interface Scenario {
  /** The file's `name`, else the shipped name or the file path. */
  readonly name: string;
  /** Options for `createBottleFiller`: autoStart, cap-miss probability, rejects in a row, shift. */
  readonly filler: Omit<BottleFillerOptions, 'seed' | 'machineId'>;
}

/** A scenario file that is not valid; the message names the file and the field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM (00:00-23:59)')
  .transform((v) => (Number(v.slice(0, 2)) * 60 + Number(v.slice(3))) * 60_000);
const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

const RateSchema = z.strictObject({
  mtbfMinutes: positive.optional(),
  mttrSeconds: positive.optional(),
  repairSpread: nonNegative.optional(),
});

const EventSchema = z
  .strictObject({
    at: z.union([clock, nonNegative.transform((minutes) => ({ minutes }))]),
    action: z.literal(['inject', 'clear', 'stop', 'start', 'changeover']),
    fault: z.literal(FAULTS).optional(),
    durationMinutes: positive.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.action === 'inject' && e.fault === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fault'],
        message: `inject needs a fault: one of ${FAULTS.join(', ')}`,
      });
    }
    if (e.action === 'changeover' && e.durationMinutes === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationMinutes'],
        message: 'a changeover needs its length in minutes',
      });
    }
  });

/**
 * The scenario file format (YAML or JSON). Every part is optional; what is left out comes from
 * `base` — the plausible shift (default) or `none` (a steady line with nothing going wrong).
 */
export const ScenarioFileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  base: z.literal(['plausible', 'none']).optional(),
  start: z
    .strictObject({
      time: clock.optional(),
      tankLevelPercent: z.number().min(0).max(100).optional(),
      running: z.boolean().optional(),
    })
    .optional(),
  disturbances: z.partialRecord(z.literal(DISTURBANCE_CAUSES), RateSchema.nullable()).optional(),
  fillSpreadPct: nonNegative.optional(),
  // .nullable() rather than a union with null: an error then names the field inside.
  drifts: z
    .strictObject({
      dayCycleAmplitudeC: nonNegative.optional(),
      pumpWearPsiPerHour: nonNegative.optional(),
      sensorNoise: nonNegative.optional(),
    })
    .nullable()
    .optional(),
  operator: z
    .strictObject({
      responseSeconds: positive.optional(),
      responseSpread: nonNegative.optional(),
    })
    .nullable()
    .optional(),
  line: z
    .strictObject({
      bottleVolumeL: positive.optional(),
      nominalFlowLpm: positive.optional(),
      conveyorSpeedRpm: positive.optional(),
      tankCapacityL: positive.optional(),
      refillLpm: positive.optional(),
    })
    .optional(),
  capMissProbability: z.number().min(0).max(1).optional(),
  maxConsecutiveRejects: z.number().int().min(1).optional(),
  schedule: z.array(EventSchema).optional(),
});

/** A scenario file as written (before defaults are filled in). */
export type ScenarioFile = z.input<typeof ScenarioFileSchema>;

const NO_DRIFTS = { dayCycleAmplitudeC: 0, pumpWearPsiPerHour: 0, sensorNoise: 0 };
const DEFAULT_OPERATOR = PLAUSIBLE_SHIFT.operator!;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) =>
      typeof key === 'number'
        ? `${out}[${key}]`
        : out === ''
          ? String(key)
          : `${out}.${String(key)}`,
    '',
  );
}

/**
 * Reads a scenario from its text (YAML, of which JSON is a subset).
 * @param source - Where it came from, for error messages and the default name.
 * @throws ScenarioError naming the source and the first fields that are wrong.
 *
 * @example
 * ```ts
 * import { createBottleFiller, parseScenario } from '@ot-mqtt/plc-sim';
 * const scenario = parseScenario(`
 * schedule:
 *   - { at: "10:00", action: inject, fault: emptyTank }
 *   - { at: "10:20", action: clear, fault: emptyTank }
 *   - { at: "12:00", action: changeover, durationMinutes: 30 }
 * `);
 * const filler = createBottleFiller({ seed: 1, ...scenario.filler });
 * ```
 */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let raw: unknown;
  try {
    // Warnings (an unknown tag) would go to stderr from a library: the schema judges the result.
    raw = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    throw new ScenarioError(
      `${source}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const parsed = ScenarioFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${fieldPath(issue.path) || '(top level)'}: ${issue.message}`);
    throw new ScenarioError(`${source}: ${problems.join('; ')}`);
  }
  const file = parsed.data;
  const plausible = file.base !== 'none';
  const base: ShiftOptions = plausible ? PLAUSIBLE_SHIFT : {};
  const startMs = file.start?.time ?? base.startTimeOfDayMs ?? 6 * 3600_000;

  const disturbances: Partial<Record<DisturbanceCause, DisturbanceRate | null>> = {
    ...base.disturbances,
  };
  for (const [cause, rate] of Object.entries(file.disturbances ?? {}) as [
    DisturbanceCause,
    z.infer<typeof RateSchema> | null,
  ][]) {
    const before = disturbances[cause];
    if (rate === null) disturbances[cause] = null;
    else if (before !== undefined && before !== null)
      disturbances[cause] = { ...before, ...definedOnly(rate) };
    else if (rate.mtbfMinutes === undefined || rate.mttrSeconds === undefined) {
      throw new ScenarioError(
        `${source}: disturbances.${cause}: needs mtbfMinutes and mttrSeconds (base none)`,
      );
    } else {
      disturbances[cause] = {
        mtbfMinutes: rate.mtbfMinutes,
        mttrSeconds: rate.mttrSeconds,
        repairSpread: rate.repairSpread ?? 0.5,
      };
    }
  }
  const drifts =
    file.drifts === null
      ? undefined
      : { ...(base.drifts ?? NO_DRIFTS), ...definedOnly(file.drifts) };
  const operator =
    file.operator === null
      ? undefined
      : file.operator === undefined
        ? base.operator
        : { ...DEFAULT_OPERATOR, ...definedOnly(file.operator) };
  const shift: ShiftOptions = {
    disturbances,
    fillSpreadPct: file.fillSpreadPct ?? base.fillSpreadPct ?? 0,
    ...(drifts === undefined ? {} : { drifts }),
    ...(operator === undefined ? {} : { operator }),
    startTimeOfDayMs: startMs,
    ...(file.start?.tankLevelPercent === undefined
      ? {}
      : { startTankLevelPercent: file.start.tankLevelPercent }),
    schedule: (file.schedule ?? []).map((e) => ({
      // A clock time before the start is on the next day (a night shift's 02:00).
      atMs:
        typeof e.at === 'number'
          ? (e.at - startMs + 24 * 3600_000) % (24 * 3600_000)
          : e.at.minutes * 60_000,
      action: e.action,
      ...(e.fault === undefined ? {} : { fault: e.fault }),
      ...(e.durationMinutes === undefined ? {} : { durationMs: e.durationMinutes * 60_000 }),
    })),
  };
  return {
    name: file.name ?? source,
    filler: {
      ...(file.start?.running === undefined ? {} : { autoStart: file.start.running }),
      ...(file.line === undefined ? {} : { line: definedOnly(file.line) }),
      ...(file.capMissProbability === undefined
        ? {}
        : { capMissProbability: file.capMissProbability }),
      ...(file.maxConsecutiveRejects === undefined
        ? {}
        : { maxConsecutiveRejects: file.maxConsecutiveRejects }),
      shift,
    },
  };
}

/**
 * Loads a scenario: a shipped one by name ({@link SHIPPED_SCENARIOS}: `plausible` is
 * `PLAUSIBLE_SHIFT`, `steady` the line without a shift), else a YAML or JSON file by path.
 * @throws ScenarioError when the file cannot be read or is not a valid scenario.
 *
 * @example
 * ```ts
 * import { createBottleFiller, loadScenario } from '@ot-mqtt/plc-sim';
 * const { filler } = loadScenario('bad-shift');
 * const line = createBottleFiller({ seed: 7, machineId: 'filler-01', ...filler });
 * ```
 */
export function loadScenario(nameOrPath: string): Scenario {
  if (nameOrPath === 'plausible') return { name: 'plausible', filler: { shift: PLAUSIBLE_SHIFT } };
  if (nameOrPath === 'steady') return { name: 'steady', filler: {} };
  const shipped = SHIPPED_SCENARIO_FILES[nameOrPath];
  if (shipped !== undefined) return parseScenario(shipped, nameOrPath);
  let text: string;
  try {
    text = readFileSync(nameOrPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ScenarioError(
      `cannot read the scenario file ${nameOrPath} (${reason}): give a path or one of ${SHIPPED_SCENARIOS.join(', ')}`,
    );
  }
  return parseScenario(text, nameOrPath);
}
