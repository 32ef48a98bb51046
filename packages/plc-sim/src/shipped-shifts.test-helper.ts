import { PLAUSIBLE_SHIFT } from './shift-options.js';
import type { ShiftOptions } from './shift-options.js';

/** Every shift the package ships, for the property specs. */
export const SHIPPED_SHIFTS: readonly ShiftOptions[] = [PLAUSIBLE_SHIFT];
