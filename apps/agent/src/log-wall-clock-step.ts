import type { Logger } from '@ot-mqtt/app-kit';
import type { WallClockStep } from '@ot-mqtt/plc-sim';

/**
 * The one log line of a wall-clock step (issue 9): how far and which way. Pacing and simulated
 * time follow the monotonic clock, so only the timestamps change.
 */
export const logWallClockStep = (logger: Logger, step: WallClockStep): void =>
  logger.warn('wall clock stepped: scans carry the new time, pacing is unchanged', {
    direction: step.direction,
    seconds: Math.round(Math.abs(step.deltaMs)) / 1000,
    now: new Date(step.wallMs).toISOString(),
  });
