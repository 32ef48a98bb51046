// The names alone, without zod: a browser page (apps/dashboard) imports them and must not pull
// the command schemas (and zod) into its bundle.

/**
 * Commands a filler accepts on its command topic, and the PackML command each one is:
 *
 * | command        | PackML                         | what the machine does                                   |
 * | -------------- | ------------------------------ | ------------------------------------------------------- |
 * | `start`        | Start                          | Idle → Starting → Execute                               |
 * | `stop`         | Stop                           | → Stopping → Stopped                                    |
 * | `reset`        | Reset (Clear + Reset if Aborted) | Stopped → Resetting → Idle; clears latched alarms     |
 * | `hold`/`unhold`| Hold / Unhold                  | Execute → Held, and back                                |
 * | `abort`        | Abort                          | → Aborting → Aborted (e-stop)                           |
 * | `clear`        | Clear                          | Aborted → Clearing → Stopped                            |
 * | `auto`/`manual`| unit mode Production / Manual  | the seed's `AutoMode`                                   |
 * | `inject-fault` | —                              | simulation: a physical fault appears (needs `fault`)    |
 * | `clear-fault`  | —                              | simulation: maintenance repairs one (`fault`) or all    |
 */
export const COMMANDS = [
  'start',
  'stop',
  'reset',
  'auto',
  'manual',
  'inject-fault',
  'clear-fault',
  'hold',
  'unhold',
  'abort',
  'clear',
] as const;

/** One command name; see {@link COMMANDS}. */
export type CommandName = (typeof COMMANDS)[number];

/**
 * The physical faults a simulated filler can be given with `inject-fault` (see `FAULTS` of
 * `@ot-mqtt/plc-sim` for what each one does).
 */
export const FAULT_NAMES = [
  'emptyTank',
  'missCap',
  'jamValve',
  'starveValve',
  'noBottles',
] as const;

/** One fault name; see {@link FAULT_NAMES}. */
export type FaultName = (typeof FAULT_NAMES)[number];
