// Physical and control parameters of the simulated inline filler (size and speed: the public
// LineParameters, ../line-parameters.ts). They are chosen so that the
// numbers an HMI shows look like a small single-head filler: 0.5 L bottles, ~12 L/min through the
// valve, ~15 bottles/min, a 200 L product tank refilled in batches. Per-machine variation (flow,
// conveyor speed, ambient) is drawn from the seed so that a fleet does not move in lockstep.

/** PLC scan / physics tick. `step(ms)` advances in whole ticks and carries the remainder. */
export const TICK_MS = 100;
export const DT_S = TICK_MS / 1000;

export const FILL_TARGET_PCT = 95;
/** Bottles below this at discharge are rejected as underfilled. */
export const UNDERFILL_LIMIT_PCT = 93;
/** The bottle's high-level probe: at or above this with product still flowing → Overfill. */
export const OVERFILL_LIMIT_PCT = 98;
/** Product still in the air when the valve closes: adds 0…this % above target. */
export const MAX_IN_FLIGHT_PCT = 0.6;
export const FILL_TIMEOUT_MS = 5000;
export const CAP_TIME_MS = 800;

/** A throttled supply (`starveValve`) lets this fraction of the nominal flow through. */
export const STARVED_FLOW_FACTOR = 0.3;

/** Conveyor travel per drive-pulley revolution. 120 RPM → 0.2 m/s. */
export const METRES_PER_REV = 0.1;
/** Distance between infeed, filling and capping positions (one index). */
export const PITCH_M = 0.25;
export const CONVEYOR_ACCEL_RPM_PER_S = 300;

/** Gap between bottles arriving at the infeed photoeye from upstream, uniformly drawn. */
export const MIN_BOTTLE_GAP_MS = 200;
export const MAX_BOTTLE_GAP_MS = 1500;
/** Running with no bottle to fill for this long raises NoBottle. */
export const NO_BOTTLE_TIMEOUT_MS = 5000;

export const LOW_LEVEL_PCT = 20;
export const HIGH_LEVEL_PCT = 88;
/** Below this the filler cannot fill: tank-empty fault. */
export const EMPTY_PCT = 5;
/** The tank-empty fault can be reset once the level is back above this. */
export const EMPTY_RESET_PCT = 10;
export const REFILL_START_PCT = 35;
export const REFILL_STOP_PCT = 90;
/** `emptyTank`: the supply is lost and the tank drains at this rate. */
export const DRAIN_LPM = 600;

export const PRESSURE_SETPOINT_PSI = 25;
export const PRESSURE_REFERENCE_C = 20;
/** Headspace compression: a fuller tank reads higher. */
export const PRESSURE_PER_LEVEL_PCT = 0.08;
/** Pressure dip at full flow through the valve. */
export const PRESSURE_DRAW_PSI = 1.5;
export const PRESSURE_TAU_S = 2;
export const AMBIENT_TAU_S = 1800;

export const DEFAULT_MAX_CONSECUTIVE_REJECTS = 3;
export const DEFAULT_CAP_MISS_PROBABILITY = 0.002;
