import { tagCatalog } from '@ot-mqtt/historian';
import { MachineIdSchema } from '@ot-mqtt/tag-model';
import { z } from 'zod';

// One zod schema per request and response: Fastify validates with them, serialises with them
// (a response that drifts from its schema is a 500, not a silent contract break), and
// /openapi.json is generated from them — there is no second description to keep in step.

const TAG_NAMES = tagCatalog().map((t) => t.name);
const ISO = 'an ISO-8601 time, e.g. 2026-11-30T08:00:00Z (UTC unless an offset is given)';

/** What each query or path parameter allows, in words: the `allowed` of a 400 response. */
export const ALLOWED: Record<string, string> = {
  machineId: '1-64 letters, digits, ".", "_" or "-"',
  tags: `comma-separated tag names: ${TAG_NAMES.join(', ')}`,
  from: ISO,
  to: `${ISO}, after from`,
  maxPoints: 'a whole number from 1 to 10000',
  limit: 'a whole number from 1 to 100000',
  format: 'json or csv',
  alarm: 'an alarm tag name: LowProductLevel, Overfill, Underfill, NoBottle or CapMissing',
  state:
    'comma-separated alarm states: normal, unacknowledged-active, acknowledged-active, unacknowledged-returned-to-normal, or all',
  event: 'raised, acknowledged or cleared',
  user: 'the user name of the operator, 1-64 characters without control characters',
  Authorization: 'Bearer <GATEWAY_OPERATOR_TOKEN>',
};

/** Query time `from` or `to`: ISO-8601 text in, epoch ms out. */
export const isoTime = (name: 'from' | 'to') =>
  z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}T/u.test(s) && Number.isFinite(Date.parse(s)), {
      message: `${name} is not ${ISO}`,
    })
    .transform((s) => Date.parse(s))
    .optional()
    .meta({ description: `${name === 'from' ? 'Start (inclusive)' : 'End (exclusive)'}: ${ISO}.` });

/** An optional whole-number query parameter in a range. */
export const wholeIn = (min: number, max: number, description: string) =>
  z.coerce.number().int().min(min).max(max).optional().meta({ description });

/** Path parameter `machineId`. */
export const MachineParamsSchema = z.object({ machineId: MachineIdSchema });

/** Query of `/history`. */
export const HistoryQuerySchema = z.object({
  tags: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    )
    .refine((tags) => tags.length > 0 && tags.every((t) => TAG_NAMES.includes(t)), {
      message: 'unknown tag name',
    })
    .optional()
    .meta({ description: 'Comma-separated tag names (default: all 30).' }),
  from: isoTime('from'),
  to: isoTime('to'),
  maxPoints: wholeIn(
    1,
    10_000,
    'Most buckets (numbers) or change points (booleans) per tag (default 1000).',
  ),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'json (default) or csv (header row, one row per point).' }),
});

/** Query of `/scans`. */
export const ScansQuerySchema = z.object({
  from: isoTime('from'),
  to: isoTime('to'),
  limit: wholeIn(1, 100_000, 'Most scans returned (default 1000).'),
});

/** Query of `/api/alarms`. */
export const AlarmsQuerySchema = z.object({
  machineId: MachineIdSchema.optional(),
  from: isoTime('from'),
  to: isoTime('to'),
});

/** Error body of every 4xx/5xx. */
export const ErrorSchema = z
  .object({
    error: z.string().meta({ description: 'What went wrong.' }),
    parameter: z.string().optional().meta({ description: 'The parameter at fault.' }),
    allowed: z.string().optional().meta({ description: 'What the parameter allows.' }),
  })
  .meta({ id: 'Error' });

const Timestamp = z.string().meta({ description: 'ISO-8601 UTC with milliseconds.' });

/** One machine of `/api/machines`. */
export const MachineSummarySchema = z
  .object({
    machineId: z.string(),
    online: z.boolean().meta({
      description:
        'Agent connected (its retained connection topic), else a scan within three intervals.',
    }),
    stale: z.boolean().meta({ description: 'No scan received for three publish intervals.' }),
    lastSeen: Timestamp.nullable().meta({ description: 'Time of the newest stored scan.' }),
    lastSequence: z.number().int().nullable(),
    state: z.enum(['faulted', 'running', 'manual', 'idle', 'stopped', 'unknown']),
  })
  .meta({ id: 'MachineSummary' });

/** `/latest`. */
export const LatestSchema = z
  .object({
    timestamp: Timestamp,
    sequence: z.number().int(),
    tags: z.record(z.string(), z.union([z.number(), z.boolean()])),
  })
  .meta({ id: 'LatestScan' });

const Initial = z.object({ t: Timestamp, value: z.union([z.number(), z.boolean()]) }).nullable();

/** `/history`. */
export const HistorySchema = z
  .object({
    machineId: z.string(),
    from: Timestamp,
    to: Timestamp,
    series: z.array(
      z.discriminatedUnion('kind', [
        z.object({
          tag: z.string(),
          kind: z.literal('number'),
          unit: z.string().nullable(),
          bucketMs: z.number().int(),
          initial: Initial,
          points: z.array(
            z.object({
              t: Timestamp.meta({ description: 'Bucket start.' }),
              min: z.number(),
              max: z.number(),
              avg: z.number().meta({
                description: 'Mean of the stored values (each counts once, however long it held).',
              }),
              twa: z.number().meta({
                description:
                  'Time-weighted average: each value weighted by how long it was in force in the bucket.',
              }),
              last: z.number(),
              count: z.number().int(),
            }),
          ),
        }),
        z.object({
          tag: z.string(),
          kind: z.literal('boolean'),
          unit: z.null(),
          bucketMs: z.number().int(),
          initial: Initial,
          points: z.array(z.object({ t: Timestamp, value: z.boolean() })),
        }),
      ]),
    ),
  })
  .meta({ id: 'History' });

/** `/scans`. */
export const ScansSchema = z
  .array(z.object({ timestamp: Timestamp, sequence: z.number().int() }))
  .meta({ id: 'Scans' });

/** `/api/alarms`. */
export const AlarmTransitionsSchema = z
  .array(
    z.object({
      machineId: z.string(),
      alarm: z.string(),
      transition: z.enum(['raised', 'cleared']),
      timestamp: Timestamp,
    }),
  )
  .meta({ id: 'AlarmTransitions' });

/** `/healthz`. */
export const HealthSchema = z.object({ status: z.literal('ok') });

/** `/readyz`. */
export const ReadySchema = z
  .object({
    ready: z.boolean(),
    broker: z.object({ connected: z.number().int(), connections: z.number().int() }),
    database: z.object({
      engine: z.string(),
      writable: z.boolean(),
      error: z.string().optional(),
      heldMessages: z
        .number()
        .int()
        .meta({ description: 'Messages waiting for a commit (their acknowledgements held back).' }),
      oldestHeldMs: z.number().int(),
    }),
  })
  .meta({ id: 'Ready' });

/** `/dashboard-config.json`. */
export const DashboardConfigSchema = z.object({
  topicRoot: z.string().meta({ description: 'TOPIC_ROOT of the gateway.' }),
  mqttUrl: z.string().optional().meta({
    description: 'DASHBOARD_MQTT_URL; absent when unset: the page uses ws://<its host>:9001.',
  }),
});
