import type { CommandName } from '@ot-mqtt/tag-model';
import type { Fault } from './fault.js';

/**
 * A command to `BottleFiller.command()`: the `command` and `fault` of the command payload of
 * `@ot-mqtt/tag-model` (its `requestId` is the transport's business).
 */
export interface FillerCommand {
  /** start, stop, reset, auto, manual, inject-fault, clear-fault, hold, unhold, abort or clear. */
  readonly command: CommandName;
  /** The fault of `inject-fault` (required) and `clear-fault` (all faults when omitted). */
  readonly fault?: Fault | undefined;
}

/** What `BottleFiller.command()` did. */
export interface CommandOutcome {
  /** Whether the command was applied. */
  readonly accepted: boolean;
  /** Why it was refused, in words an operator can act on ("reset the fault first …"). */
  readonly reason?: string;
}
