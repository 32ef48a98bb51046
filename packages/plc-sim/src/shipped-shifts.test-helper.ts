import fc from 'fast-check';
import { FAULTS } from './fault.js';
import { SHIPPED_SCENARIOS, loadScenario } from './scenario.js';
import { DISTURBANCE_CAUSES } from './shift-options.js';
import type { DisturbanceRate, ScheduledEvent, ShiftOptions } from './shift-options.js';

/** Every shift the package ships (the shipped scenarios but `steady`), for the property specs. */
export const SHIPPED_SHIFTS: readonly ShiftOptions[] = SHIPPED_SCENARIOS.flatMap((name) => {
  const { shift } = loadScenario(name).filler;
  return shift === undefined ? [] : [shift];
});

const rateArb: fc.Arbitrary<DisturbanceRate> = fc.record({
  mtbfMinutes: fc.double({ min: 0.5, max: 300, noNaN: true }),
  mttrSeconds: fc.double({ min: 1, max: 1800, noNaN: true }),
  repairSpread: fc.double({ min: 0, max: 1.2, noNaN: true }),
});

const eventArb: fc.Arbitrary<ScheduledEvent> = fc.oneof(
  fc.record({
    atMs: fc.integer({ min: 0, max: 7_200_000 }),
    action: fc.constantFrom('inject' as const, 'clear' as const),
    fault: fc.constantFrom(...FAULTS),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 7_200_000 }),
    action: fc.constantFrom('stop' as const, 'start' as const),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 7_200_000 }),
    action: fc.constant('changeover' as const),
    durationMs: fc.integer({ min: 1, max: 3_600_000 }),
  }),
);

/** Any scenario a user could write: random rates for random causes, drifts, operator, schedule. */
export const shiftArb: fc.Arbitrary<ShiftOptions> = fc.record(
  {
    disturbances: fc.dictionary(fc.constantFrom(...DISTURBANCE_CAUSES), fc.option(rateArb)),
    fillSpreadPct: fc.double({ min: 0, max: 3, noNaN: true }),
    drifts: fc.record({
      dayCycleAmplitudeC: fc.double({ min: 0, max: 10, noNaN: true }),
      pumpWearPsiPerHour: fc.double({ min: 0, max: 2, noNaN: true }),
      sensorNoise: fc.double({ min: 0, max: 0.5, noNaN: true }),
    }),
    operator: fc.record({
      responseSeconds: fc.double({ min: 1, max: 600, noNaN: true }),
      responseSpread: fc.double({ min: 0, max: 1.5, noNaN: true }),
    }),
    startTimeOfDayMs: fc.integer({ min: 0, max: 86_399_999 }),
    startTankLevelPercent: fc.double({ min: 0, max: 100, noNaN: true }),
    schedule: fc.array(eventArb, { maxLength: 5 }),
  },
  { requiredKeys: ['disturbances'] },
);

/** A shipped shift or any other. */
export const anyShiftArb: fc.Arbitrary<ShiftOptions> = fc.oneof(
  fc.constantFrom(...SHIPPED_SHIFTS),
  shiftArb,
);
