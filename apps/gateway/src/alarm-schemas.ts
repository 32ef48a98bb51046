import { ALARM_EVENT_TYPES, ALARM_STATES, MachineIdSchema, TAGS } from '@ot-mqtt/tag-model';
import { z } from 'zod';
import { ErrorSchema, isoTime, wholeIn } from './api-schemas.js';

// The alarm server's and OEE's requests and responses, one zod schema each (validation,
// serialisation and /openapi.json from the same source, as api-schemas.ts does for the rest).

const ALARM_TAGS = Object.keys(TAGS.alarms);
const Time = z
  .string()
  .nullable()
  .meta({ description: 'ISO-8601 UTC with milliseconds, or null.' });
const format = z
  .enum(['json', 'csv'])
  .optional()
  .meta({ description: 'json (default) or csv (header row, one row per item).' });

/** One alarm's ISA-18.2 lifecycle now. */
export const AlarmRecordSchema = z
  .object({
    machineId: z.string(),
    alarm: z.string(),
    state: z.enum(ALARM_STATES),
    active: z.boolean().meta({ description: 'The alarm tag is true in the newest scan.' }),
    acknowledged: z.boolean().meta({
      description: 'false in unacknowledged-active and unacknowledged-returned-to-normal.',
    }),
    firstOut: z
      .boolean()
      .meta({ description: 'This occurrence opened the machine’s cascade (first-out).' }),
    raisedAt: Time,
    acknowledgedAt: Time,
    acknowledgedBy: z.string().nullable(),
    clearedAt: Time,
  })
  .meta({ id: 'AlarmRecord' });

/** One line of the alarm journal (the MQTT alarm event with its journal id). */
export const AlarmJournalEntrySchema = z
  .object({
    id: z.number().int(),
    schemaVersion: z.number().int(),
    timestamp: z.string().meta({ description: 'When it happened.' }),
    machineId: z.string(),
    alarm: z.string(),
    event: z.enum(ALARM_EVENT_TYPES),
    state: z.enum(ALARM_STATES).meta({ description: 'State after the event.' }),
    firstOut: z.boolean(),
    user: z.string().optional().meta({ description: 'Who acknowledged.' }),
    raisedAt: z.string().optional(),
  })
  .meta({ id: 'AlarmJournalEntry' });

const alarmFilter = z
  .string()
  .refine((s) => ALARM_TAGS.includes(s), { message: 'unknown alarm' })
  .optional()
  .meta({ description: `Only this alarm tag: ${ALARM_TAGS.join(', ')}.` });

/** Query of `GET /api/alarms` (current lifecycle records). */
export const AlarmListQuerySchema = z.object({
  machineId: MachineIdSchema.optional(),
  alarm: alarmFilter,
  state: z
    .string()
    .transform((s) => s.split(',').map((t) => t.trim()))
    .refine(
      (states) =>
        states.every((t) => t === 'all' || (ALARM_STATES as readonly string[]).includes(t)),
      { message: 'unknown alarm state' },
    )
    .optional()
    .meta({
      description: `Comma-separated states (${ALARM_STATES.join(', ')}) or all (default: every state but normal).`,
    }),
  from: isoTime('from'),
  to: isoTime('to'),
  format,
});

/** Query of `GET /api/alarms/journal`. */
export const JournalQuerySchema = z.object({
  machineId: MachineIdSchema.optional(),
  alarm: alarmFilter,
  event: z.enum(ALARM_EVENT_TYPES).optional(),
  from: isoTime('from'),
  to: isoTime('to'),
  limit: wholeIn(1, 100_000, 'Most lines: the newest ones, in time order (default 10000).'),
  format,
});

/** Path of the acknowledge route. */
export const AckParamsSchema = z.object({
  machineId: MachineIdSchema,
  alarm: z.string().max(64),
});

/** Body of the acknowledge route. */
export const AckBodySchema = z.object({
  user: z
    .string()
    .trim()
    .min(1)
    .max(64)
    // eslint-disable-next-line no-control-regex -- names reach pages and terminals
    .refine((s) => !/[\u0000-\u001f\u007f]/u.test(s), 'contains control characters')
    .meta({ description: 'Who acknowledges (journalled as acknowledgedBy).' }),
});

/** 409 of the acknowledge route. */
export const AckConflictSchema = ErrorSchema.extend({ record: AlarmRecordSchema });

/** Query of `GET /api/machines/{machineId}/oee`. */
export const OeeQuerySchema = z.object({ from: isoTime('from'), to: isoTime('to') });

const ratio = z
  .number()
  .nullable()
  .meta({ description: '0–1, or null without the time or bottles it needs.' });
const OeeSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    plannedMs: z.number().meta({ description: 'Time covered by scans (gaps over 60 s excluded).' }),
    runMs: z.number().meta({ description: 'Time running (SystemRunning and not Fault).' }),
    total: z.number().int().meta({ description: 'Bottles filled.' }),
    rejected: z.number().int(),
    good: z.number().int(),
    availability: ratio,
    performance: ratio,
    quality: ratio,
    oee: ratio,
  })
  .meta({ id: 'Oee' });

/** `GET /api/machines/{machineId}/oee`. */
export const OeeReportSchema = z
  .object({
    machineId: z.string(),
    idealRatePerMinute: z.number(),
    shiftPattern: z.object({
      start: z.string(),
      hours: z.number(),
      utcOffsetMinutes: z.number(),
    }),
    window: OeeSchema.meta({ description: 'The requested window [from, to).' }),
    shift: OeeSchema.meta({
      description: 'The shift that contains the end of the window, up to it.',
    }),
    hours: z.array(OeeSchema).meta({ description: 'Per UTC clock hour of the window.' }),
  })
  .meta({ id: 'OeeReport' });
