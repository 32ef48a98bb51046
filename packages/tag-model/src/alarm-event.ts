import { z } from 'zod';
import { MachineIdSchema, SCHEMA_VERSION, TimestampSchema } from './payloads.js';
import { TAGS } from './tags.js';

/** The five alarm tag names, in the tag model's order. */
const ALARM_TAGS = Object.keys(TAGS.alarms) as [
  keyof typeof TAGS.alarms,
  ...(keyof typeof TAGS.alarms)[],
];

/**
 * ISA-18.2 alarm states (ANSI/ISA-18.2 "alarm state transition diagram"): A `normal`,
 * B `unacknowledged-active`, C `acknowledged-active`, D `unacknowledged-returned-to-normal`.
 */
export const ALARM_STATES = [
  'normal',
  'unacknowledged-active',
  'acknowledged-active',
  'unacknowledged-returned-to-normal',
] as const;

/** One ISA-18.2 alarm state; see {@link ALARM_STATES}. */
export type AlarmStateName = (typeof ALARM_STATES)[number];

/** What happened to an alarm: raised (tag went true), acknowledged (by an operator), cleared (tag went false). */
export const ALARM_EVENT_TYPES = ['raised', 'acknowledged', 'cleared'] as const;

/** One alarm event type; see {@link ALARM_EVENT_TYPES}. */
export type AlarmEventType = (typeof ALARM_EVENT_TYPES)[number];

/**
 * Payload of `<root>[/<machineId>]/alarms/events` (QoS 1, not retained), published by the alarm
 * server (the gateway) on every lifecycle transition of an alarm. The same fields make up a line of
 * the alarm journal (`GET /api/alarms/journal`).
 *
 * @example
 * ```ts
 * import { AlarmEventPayloadSchema } from '@ot-mqtt/tag-model';
 * AlarmEventPayloadSchema.parse({
 *   schemaVersion: 1,
 *   timestamp: '2025-01-15T08:30:12.000Z',
 *   machineId: 'filler-01',
 *   alarm: 'Overfill',
 *   event: 'acknowledged',
 *   state: 'acknowledged-active',
 *   firstOut: true,
 *   user: 'operator-1',
 *   raisedAt: '2025-01-15T08:30:00.000Z',
 * });
 * ```
 */
export const AlarmEventPayloadSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    timestamp: TimestampSchema.meta({
      description:
        'When it happened: the scan time for raised/cleared, the operator time for acknowledged.',
    }),
    machineId: MachineIdSchema,
    alarm: z.literal(ALARM_TAGS, { error: `must be one of ${ALARM_TAGS.join(', ')}` }),
    event: z.literal(ALARM_EVENT_TYPES, {
      error: `must be one of ${ALARM_EVENT_TYPES.join(', ')}`,
    }),
    state: z
      .literal(ALARM_STATES, { error: `must be one of ${ALARM_STATES.join(', ')}` })
      .meta({ description: 'ISA-18.2 state after the event.' }),
    firstOut: z.boolean().meta({
      description:
        'The alarm opened its cascade: no other alarm of the machine was out of normal when it was raised.',
    }),
    user: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'Who acknowledged (acknowledged only).' }),
    raisedAt: TimestampSchema.optional().meta({
      description: 'When the occurrence this event belongs to was raised.',
    }),
  })
  .meta({
    title: 'AlarmEventPayload',
    description:
      'An alarm lifecycle transition (topic plc/bottlefiller[/<machineId>]/alarms/events, QoS 1, not retained), published by the gateway.',
  });
/** Payload of `<root>[/<machineId>]/alarms/events`; see {@link AlarmEventPayloadSchema}. */
export type AlarmEventPayload = z.infer<typeof AlarmEventPayloadSchema>;
