import { FAULTS } from '../fault.js';
import { DISTURBANCE_CAUSES } from '../shift-options.js';
import type { ShiftOptions } from '../shift-options.js';

const positive = (v: number) => Number.isFinite(v) && v > 0;
const nonNegative = (v: number) => Number.isFinite(v) && v >= 0;

function check(ok: boolean, field: string, value: unknown, wanted: string): void {
  if (!ok) throw new RangeError(`shift.${field} must be ${wanted}, got ${String(value)}`);
}

/** A numeric field's rule: the test and how the error message states it. */
type Rule = readonly [test: (v: number) => boolean, wanted: string];
const POSITIVE: Rule = [positive, 'a number > 0'];
const NON_NEGATIVE: Rule = [nonNegative, 'a number ≥ 0'];

/** Checks each field of `rules` in `values` (in the rules' order), named `<at>.<field>`. */
function checkFields<T extends object>(
  at: string,
  values: T,
  rules: { readonly [K in keyof T]: T[K] extends number ? Rule : never },
): void {
  for (const [field, [test, wanted]] of Object.entries(rules) as Array<[keyof T & string, Rule]>) {
    const value = values[field] as number;
    check(test(value), `${at}.${field}`, value, wanted);
  }
}

/** Throws a RangeError naming the first field of `shift` that makes no sense. */
export function checkShiftOptions(shift: ShiftOptions): void {
  for (const [cause, rate] of Object.entries(shift.disturbances ?? {})) {
    check(
      (DISTURBANCE_CAUSES as readonly string[]).includes(cause),
      `disturbances`,
      cause,
      `keyed by ${DISTURBANCE_CAUSES.join(', ')}`,
    );
    if (rate === null || rate === undefined) continue;
    checkFields(`disturbances.${cause}`, rate, {
      mtbfMinutes: POSITIVE,
      mttrSeconds: POSITIVE,
      repairSpread: NON_NEGATIVE,
    });
  }
  const spread = shift.fillSpreadPct ?? 0;
  check(nonNegative(spread), 'fillSpreadPct', spread, 'a number ≥ 0');
  if (shift.drifts !== undefined) {
    checkFields('drifts', shift.drifts, {
      dayCycleAmplitudeC: NON_NEGATIVE,
      pumpWearPsiPerHour: NON_NEGATIVE,
      sensorNoise: NON_NEGATIVE,
    });
  }
  if (shift.operator !== undefined) {
    checkFields('operator', shift.operator, {
      responseSeconds: POSITIVE,
      responseSpread: NON_NEGATIVE,
    });
  }
  const start = shift.startTimeOfDayMs ?? 0;
  check(nonNegative(start), 'startTimeOfDayMs', start, 'a number ≥ 0');
  const level = shift.startTankLevelPercent ?? 50;
  check(level >= 0 && level <= 100, 'startTankLevelPercent', level, 'within 0…100');
  (shift.schedule ?? []).forEach((event, i) => {
    const at = `schedule[${i}]`;
    check(nonNegative(event.atMs), `${at}.atMs`, event.atMs, 'a number ≥ 0');
    if (event.action === 'inject' || event.fault !== undefined) {
      check(
        FAULTS.includes(event.fault!),
        `${at}.fault`,
        event.fault,
        `one of ${FAULTS.join(', ')}`,
      );
    }
    if (event.action === 'changeover') {
      check(
        positive(event.durationMs ?? NaN),
        `${at}.durationMs`,
        event.durationMs,
        'a number > 0',
      );
    }
  });
}
