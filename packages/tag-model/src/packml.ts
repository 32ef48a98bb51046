import { z } from 'zod';
import { SCAN_ENVELOPE } from './payloads.js';

/**
 * The PackML states of ISA-TR88.00.02 with their numeric codes (PackTags `StateCurrent`), as MES
 * and line controllers exchange them. Acting states (`Starting`, `Stopping`, `Resetting`, …) end by
 * themselves when their work is done; wait states (`Idle`, `Execute`, `Held`, `Stopped`, `Aborted`, …)
 * wait for a command or a condition.
 *
 * @example
 * ```ts
 * import { PACKML_STATES } from '@ot-mqtt/tag-model';
 * PACKML_STATES.Execute; // 6
 * ```
 */
export const PACKML_STATES = {
  Undefined: 0,
  Clearing: 1,
  Stopped: 2,
  Starting: 3,
  Idle: 4,
  Suspended: 5,
  Execute: 6,
  Stopping: 7,
  Aborting: 8,
  Aborted: 9,
  Holding: 10,
  Held: 11,
  Unholding: 12,
  Suspending: 13,
  Unsuspending: 14,
  Resetting: 15,
  Completing: 16,
  Complete: 17,
} as const;

/** Name of a PackML state, e.g. `'Execute'`; see {@link PACKML_STATES}. */
export type PackmlStateName = keyof typeof PACKML_STATES;

/** Every PackML state name, in code order. */
export const PACKML_STATE_NAMES = Object.keys(PACKML_STATES) as readonly PackmlStateName[];

/**
 * The PackML unit modes a simulated filler has, with their PackTags `UnitModeCurrent` codes:
 * Production (1, the seed's `AutoMode` true) and Manual (3, `AutoMode` false).
 *
 * @example
 * ```ts
 * import { PACKML_MODES } from '@ot-mqtt/tag-model';
 * PACKML_MODES.Manual; // 3
 * ```
 */
export const PACKML_MODES = { Production: 1, Manual: 3 } as const;

/** Name of a PackML unit mode; see {@link PACKML_MODES}. */
export type PackmlModeName = keyof typeof PACKML_MODES;

/** Why the machine last stopped (PackTags `Admin.StopReason`): a numeric id and words. */
export const StopReasonSchema = z
  .strictObject({
    code: z.number().int().min(0).meta({ description: 'Stop reason id (0 = none).' }),
    text: z.string().max(200).meta({ description: 'Stop reason in words.' }),
  })
  .meta({ description: 'Why the machine last left Execute; null while it runs.' });
/** See {@link StopReasonSchema}. */
export type StopReason = z.infer<typeof StopReasonSchema>;

// Literal unions rather than z.enum (as payloads.ts): the same validation and JSON Schema, without
// z.enum's `{ Execute: 'Execute', … }` helper object type leaking into the public declarations.
const STATE_ENUM = z.literal(PACKML_STATE_NAMES);

// The PackML fields, shared by the bare status and the published payload.
const packmlFields = {
  state: STATE_ENUM.meta({ description: 'PackML state (ISA-TR88.00.02).' }),
  stateCode: z
    .number()
    .int()
    .min(0)
    .max(17)
    .meta({ description: 'Numeric PackML state (PackTags StateCurrent).' }),
  mode: z.literal(['Production', 'Manual']).meta({ description: 'PackML unit mode.' }),
  modeCode: z.union([z.literal(1), z.literal(3)]).meta({
    description: 'Numeric unit mode (PackTags UnitModeCurrent): 1 Production, 3 Manual.',
  }),
  stopReason: StopReasonSchema.nullable(),
};

// A state name and a code that disagree would mean two different things to two consumers.
function codesAgree(
  s: { state: PackmlStateName; stateCode: number; mode: PackmlModeName; modeCode: number },
  ctx: z.RefinementCtx,
): void {
  if (PACKML_STATES[s.state] !== s.stateCode) {
    ctx.addIssue({
      code: 'custom',
      path: ['stateCode'],
      message: `stateCode ${s.stateCode} is not ${s.state} (${PACKML_STATES[s.state]})`,
    });
  }
  if (PACKML_MODES[s.mode] !== s.modeCode) {
    ctx.addIssue({
      code: 'custom',
      path: ['modeCode'],
      message: `modeCode ${s.modeCode} is not ${s.mode} (${PACKML_MODES[s.mode]})`,
    });
  }
}

/**
 * A machine's PackML state: state and mode with their codes, and the reason it last stopped.
 *
 * @example
 * ```ts
 * import { PackmlStatusSchema } from '@ot-mqtt/tag-model';
 * PackmlStatusSchema.parse({
 *   state: 'Aborted',
 *   stateCode: 9,
 *   mode: 'Production',
 *   modeCode: 1,
 *   stopReason: { code: 10, text: 'overfill: product still flowing into a full bottle' },
 * });
 * ```
 */
export const PackmlStatusSchema = z.strictObject(packmlFields).superRefine(codesAgree);
/** See {@link PackmlStatusSchema}. */
export type PackmlStatus = z.infer<typeof PackmlStatusSchema>;

/**
 * Payload of `<root>[/<machineId>]/packml`: the PackML state in the envelope of the scan it was
 * read in. Published retained when the state changes (and once when the agent starts), so a
 * subscriber gets the current state at once and every change after it.
 *
 * @example
 * ```ts
 * import { PackmlPayloadSchema } from '@ot-mqtt/tag-model';
 * PackmlPayloadSchema.parse({
 *   schemaVersion: 1,
 *   timestamp: '2025-01-15T08:30:00.000Z',
 *   machineId: 'filler-01',
 *   sequence: 42,
 *   state: 'Execute',
 *   stateCode: 6,
 *   mode: 'Production',
 *   modeCode: 1,
 *   stopReason: null,
 * });
 * ```
 */
export const PackmlPayloadSchema = z
  .strictObject({ ...SCAN_ENVELOPE, ...packmlFields })
  .superRefine(codesAgree)
  .meta({
    title: 'PackmlPayload',
    description:
      'PackML state of a machine (topic plc/bottlefiller[/<machineId>]/packml, retained, on change).',
  });
/** Payload of `<root>[/<machineId>]/packml`. */
export type PackmlPayload = z.infer<typeof PackmlPayloadSchema>;
