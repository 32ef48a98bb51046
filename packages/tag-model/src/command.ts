import { z } from 'zod';
import { MachineIdSchema, TimestampSchema } from './payloads.js';
import { PackmlStatusSchema } from './packml.js';
import { StatusSchema } from './tags.js';
import { COMMANDS, FAULT_NAMES } from './command-names.js';

/** A request id: what the reply echoes and what makes a repeated request a duplicate. */
export const RequestIdSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .meta({ description: 'Chosen by the sender; echoed in the reply; a repeat is applied once.' });

/**
 * Payload of `<root>[/<machineId>]/command` (QoS 1, not retained). `fault` is required by
 * `inject-fault`, optional for `clear-fault` (all faults when omitted) and not allowed otherwise.
 *
 * @example
 * ```ts
 * import { CommandSchema } from '@ot-mqtt/tag-model';
 * CommandSchema.parse({ command: 'start', requestId: 'hmi-7f3a' });
 * CommandSchema.parse({ command: 'inject-fault', fault: 'jamValve', requestId: 'test-1' });
 * CommandSchema.safeParse({ command: 'inject-fault', requestId: 'x' }).success; // false: no fault
 * ```
 */
export const CommandSchema = z
  .strictObject({
    command: z.literal(COMMANDS, {
      error: `must be one of ${COMMANDS.join(', ')}`,
    }),
    fault: z.literal(FAULT_NAMES, { error: `must be one of ${FAULT_NAMES.join(', ')}` }).optional(),
    requestId: RequestIdSchema,
  })
  .superRefine((c, ctx) => {
    if (c.command === 'inject-fault' && c.fault === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fault'],
        message: `inject-fault needs one of ${FAULT_NAMES.join(', ')}`,
      });
    }
    if (c.fault !== undefined && c.command !== 'inject-fault' && c.command !== 'clear-fault') {
      ctx.addIssue({
        code: 'custom',
        path: ['fault'],
        message: `only inject-fault and clear-fault take a fault, not ${c.command}`,
      });
    }
  })
  .meta({
    title: 'Command',
    description:
      'A command to a filler (topic plc/bottlefiller[/<machineId>]/command, QoS 1, not retained). inject-fault requires fault; only inject-fault and clear-fault take one.',
  });
/** Payload of the command topic; see {@link CommandSchema}. */
export type Command = z.infer<typeof CommandSchema>;

/**
 * Payload of a command's reply: on the request's MQTT 5 response topic (with its correlation data),
 * else on `<root>[/<machineId>]/command/reply`. `state` holds the five status tags after the
 * command; `packml` the PackML state. A refused command has `accepted: false` and the reason in
 * words; a malformed one the problem it has.
 *
 * @example
 * ```ts
 * import { CommandReplySchema } from '@ot-mqtt/tag-model';
 * CommandReplySchema.parse({
 *   requestId: 'hmi-7f3a',
 *   accepted: false,
 *   reason: 'reset the fault first (state Aborted: overfill)',
 *   state: { SystemRunning: false, Filling: false, Ready: false, Fault: true, AutoMode: true },
 *   machineId: 'filler-01',
 *   timestamp: '2025-01-15T08:30:00.000Z',
 * });
 * ```
 */
export const CommandReplySchema = z
  .strictObject({
    requestId: RequestIdSchema,
    accepted: z.boolean().meta({ description: 'Whether the command was applied.' }),
    reason: z
      .string()
      .max(500)
      .optional()
      .meta({ description: 'Why it was refused, or a note on what it did.' }),
    state: StatusSchema.meta({ description: 'The five status tags after the command.' }),
    packml: PackmlStatusSchema.optional().meta({ description: 'PackML state after the command.' }),
    machineId: MachineIdSchema.optional(),
    timestamp: TimestampSchema.optional().meta({ description: 'When the reply was sent.' }),
    duplicate: z.boolean().optional().meta({
      description: 'true when this requestId was seen before: answered, not applied again.',
    }),
  })
  .meta({
    title: 'CommandReply',
    description:
      'Reply to a command (MQTT 5 response topic, else plc/bottlefiller[/<machineId>]/command/reply).',
  });
/** Payload of a command reply; see {@link CommandReplySchema}. */
export type CommandReply = z.infer<typeof CommandReplySchema>;
