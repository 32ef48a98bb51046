import { SHIPPED_SCENARIOS, loadScenario } from './scenario.js';
import type { ShiftOptions } from './shift-options.js';

/** Every shift the package ships (the shipped scenarios but `steady`), for the property specs. */
export const SHIPPED_SHIFTS: readonly ShiftOptions[] = SHIPPED_SCENARIOS.flatMap((name) => {
  const { shift } = loadScenario(name).filler;
  return shift === undefined ? [] : [shift];
});
