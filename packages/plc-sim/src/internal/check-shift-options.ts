import { FAULTS } from '../fault.js';
import { DISTURBANCE_CAUSES } from '../shift-options.js';
import type { ShiftOptions } from '../shift-options.js';

const positive = (v: number) => Number.isFinite(v) && v > 0;
const nonNegative = (v: number) => Number.isFinite(v) && v >= 0;

function check(ok: boolean, field: string, value: unknown, wanted: string): void {
  if (!ok) throw new RangeError(`shift.${field} must be ${wanted}, got ${String(value)}`);
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
    const at = `disturbances.${cause}`;
    check(positive(rate.mtbfMinutes), `${at}.mtbfMinutes`, rate.mtbfMinutes, 'a number > 0');
    check(positive(rate.mttrSeconds), `${at}.mttrSeconds`, rate.mttrSeconds, 'a number > 0');
    check(nonNegative(rate.repairSpread), `${at}.repairSpread`, rate.repairSpread, 'a number ≥ 0');
  }
  const spread = shift.fillSpreadPct ?? 0;
  check(nonNegative(spread), 'fillSpreadPct', spread, 'a number ≥ 0');
  if (shift.drifts !== undefined) {
    const d = shift.drifts;
    check(
      nonNegative(d.dayCycleAmplitudeC),
      'drifts.dayCycleAmplitudeC',
      d.dayCycleAmplitudeC,
      'a number ≥ 0',
    );
    check(
      nonNegative(d.pumpWearPsiPerHour),
      'drifts.pumpWearPsiPerHour',
      d.pumpWearPsiPerHour,
      'a number ≥ 0',
    );
    check(nonNegative(d.sensorNoise), 'drifts.sensorNoise', d.sensorNoise, 'a number ≥ 0');
  }
  if (shift.operator !== undefined) {
    const o = shift.operator;
    check(
      positive(o.responseSeconds),
      'operator.responseSeconds',
      o.responseSeconds,
      'a number > 0',
    );
    check(
      nonNegative(o.responseSpread),
      'operator.responseSpread',
      o.responseSpread,
      'a number ≥ 0',
    );
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
