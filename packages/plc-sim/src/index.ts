export { createBottleFiller, SCAN_MS, DEFAULT_SEED, DEFAULT_MACHINE_ID } from './bottle-filler.js';
export type { BottleFiller, BottleFillerOptions } from './bottle-filler.js';
export { DEFAULT_LINE_PARAMETERS } from './line-parameters.js';
export type { LineParameters } from './line-parameters.js';
export type { FillerPhase } from './filler-phase.js';
export type { FillerCommand, CommandOutcome } from './filler-command.js';
export { FAULTS } from './fault.js';
export type { Fault } from './fault.js';
export { deriveSeed } from './derive-seed.js';
export { simulate$ } from './simulate.js';
export type { SimulateOptions, SimulatedScan } from './simulate.js';
export {
  DEFAULT_FLEET_PREFIX,
  fleetMachineId,
  machineNumberWidth,
  parseShard,
  shardRange,
} from './fleet-plan.js';
export type { Shard } from './fleet-plan.js';
export { systemFleetClock } from './fleet-clock.js';
export type { FleetClock, WallClockStep } from './fleet-clock.js';
export { startFleetScheduler } from './fleet-scheduler.js';
export type { FleetScheduler, FleetSchedulerOptions, FleetTick } from './fleet-scheduler.js';
export { startSimulatedFleet } from './simulated-fleet.js';
export type { FleetScan, SimulatedFleet, SimulatedFleetOptions } from './simulated-fleet.js';
export { DISTURBANCE_CAUSES, PLAUSIBLE_DISTURBANCES, PLAUSIBLE_SHIFT } from './shift-options.js';
export type {
  DisturbanceCause,
  DisturbanceRate,
  DriftOptions,
  OperatorOptions,
  ScheduledEvent,
  ShiftOptions,
} from './shift-options.js';
export { IDEAL_RATE_PER_MINUTE, shiftOee } from './shift-report.js';
export type { CauseStats, ShiftOee, ShiftReport } from './shift-report.js';
export {
  SHIPPED_SCENARIOS,
  ScenarioError,
  ScenarioFileSchema,
  loadScenario,
  parseScenario,
} from './scenario.js';
export type { Scenario, ScenarioFile, ShippedScenario } from './scenario.js';
