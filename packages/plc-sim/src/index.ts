export { createBottleFiller, SCAN_MS, DEFAULT_SEED, DEFAULT_MACHINE_ID } from './bottle-filler.js';
export type { BottleFiller, BottleFillerOptions } from './bottle-filler.js';
export type { FillerPhase } from './filler-phase.js';
export type { FillerCommand, CommandOutcome } from './filler-command.js';
export { FAULTS } from './fault.js';
export type { Fault } from './fault.js';
export { deriveSeed } from './derive-seed.js';
export { simulate$ } from './simulate.js';
export type { SimulateOptions, SimulatedScan } from './simulate.js';
