import { FAULTS } from '../fault.js';

// Injected faults as bits: cheap to test in the scan, and a filler stays a flat bag of numbers.
export const F_EMPTY_TANK = 1 << FAULTS.indexOf('emptyTank');
export const F_MISS_CAP = 1 << FAULTS.indexOf('missCap');
export const F_JAM_VALVE = 1 << FAULTS.indexOf('jamValve');
export const F_STARVE_VALVE = 1 << FAULTS.indexOf('starveValve');
export const F_NO_BOTTLES = 1 << FAULTS.indexOf('noBottles');
