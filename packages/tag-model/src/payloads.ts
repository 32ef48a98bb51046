import { z } from 'zod';
import { MACHINE_ID_PATTERN } from './topic-names.js';
import {
  AlarmsSchema,
  AnalogSchema,
  BottleFillerTagsSchema,
  CountersSchema,
  InputsSchema,
  OutputsSchema,
  StatusSchema,
} from './tags.js';

/**
 * Version of the wire format. It changes only when a consumer would misread a message (a renamed or
 * retyped field); adding an optional field keeps it.
 */
export const SCHEMA_VERSION = 1;

/**
 * A machine id ({@link MACHINE_ID_PATTERN}): it is used as a topic level for fleets, so it holds
 * letters, digits, `.`, `_` and `-` only (no `/`, `+`, `#`, spaces), 1 to 64 characters.
 */
export const MachineIdSchema = z
  .string()
  .regex(MACHINE_ID_PATTERN, {
    error: 'machineId must be 1-64 characters of letters, digits, ".", "_" or "-"',
  })
  .meta({ description: 'Machine id; also the machine level of fleet topics.' });

/** ISO-8601 UTC timestamp with millisecond precision, e.g. `2025-01-15T08:30:00.000Z`. */
export const TimestampSchema = z.iso
  .datetime({ precision: 3, error: 'timestamp must be ISO-8601 UTC with milliseconds' })
  .meta({ description: 'Time of the PLC scan, ISO-8601 UTC with milliseconds.' });

/** Scan sequence number: shared by the seven messages of one scan, +1 per scan. */
export const SequenceSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).meta({
  description:
    'Scan number, the same on the seven messages of one scan and +1 per scan: a gap means lost scans, a repeat a duplicate.',
});

/** The fields around the content of every scan message, in wire order (the PackML payload's too). */
export const SCAN_ENVELOPE = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  timestamp: TimestampSchema,
  machineId: MachineIdSchema,
  sequence: SequenceSchema,
};

/**
 * The payload of one scan topic: its tags in the envelope, titled `<Kind>Payload` and described
 * as `<what> (topic plc/bottlefiller/<kind>).` in the JSON Schemas.
 */
function scanPayload<T extends z.ZodType>(kind: string, tags: T, what: string) {
  const title = `${kind[0]!.toUpperCase()}${kind.slice(1)}Payload`;
  const description = `${what} (topic plc/bottlefiller/${kind}).`;
  return z.strictObject({ ...SCAN_ENVELOPE, tags }).meta({ title, description });
}

/** The payload of each scan topic: the whole tag set (`data`) or one group, in the envelope. */
const SCAN_PAYLOAD_SCHEMAS = {
  data: scanPayload('data', BottleFillerTagsSchema, 'Complete tag set of one PLC scan'),
  inputs: scanPayload('inputs', InputsSchema, 'Input tags of one PLC scan'),
  outputs: scanPayload('outputs', OutputsSchema, 'Output tags of one PLC scan'),
  analog: scanPayload('analog', AnalogSchema, 'Analog tags of one PLC scan in engineering units'),
  status: scanPayload('status', StatusSchema, 'Status tags of one PLC scan'),
  counters: scanPayload('counters', CountersSchema, 'Counter tags of one PLC scan'),
  alarms: scanPayload('alarms', AlarmsSchema, 'Alarm tags of one PLC scan'),
};

/** Payload of `plc/bottlefiller/data`: the complete tag set of one scan in the envelope. */
export const DataPayloadSchema = SCAN_PAYLOAD_SCHEMAS.data;
/** Payload of `plc/bottlefiller/inputs`. */
export const InputsPayloadSchema = SCAN_PAYLOAD_SCHEMAS.inputs;
/** Payload of `plc/bottlefiller/outputs`. */
export const OutputsPayloadSchema = SCAN_PAYLOAD_SCHEMAS.outputs;
/** Payload of `plc/bottlefiller/analog`. */
export const AnalogPayloadSchema = SCAN_PAYLOAD_SCHEMAS.analog;
/** Payload of `plc/bottlefiller/status`. */
export const StatusPayloadSchema = SCAN_PAYLOAD_SCHEMAS.status;
/** Payload of `plc/bottlefiller/counters`. */
export const CountersPayloadSchema = SCAN_PAYLOAD_SCHEMAS.counters;
/** Payload of `plc/bottlefiller/alarms`. */
export const AlarmsPayloadSchema = SCAN_PAYLOAD_SCHEMAS.alarms;

/** Whether the publishing agent is connected: `online` on connect, `offline` as last will or on shutdown. */
// A literal union rather than z.enum: same validation and JSON Schema (`enum`), without z.enum's
// `{ online: 'online', … }` helper object type leaking into the public declarations.
export const ConnectionStatusSchema = z.literal(['online', 'offline']);
/** `'online'` or `'offline'`. */
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>;

/**
 * Payload of the retained `plc/bottlefiller/connection` topic. The agent publishes `online` after it
 * connects and registers `offline` as its MQTT last will, so a subscriber that connects at any time
 * learns at once whether data is flowing.
 */
export const ConnectionPayloadSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    status: ConnectionStatusSchema,
    timestamp: TimestampSchema,
    machineId: MachineIdSchema,
    publishIntervalMs: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'How often the agent publishes a scan, in ms, while online.' }),
  })
  .meta({
    title: 'ConnectionPayload',
    description:
      'Retained online/offline state of the publishing agent (topic plc/bottlefiller/connection).',
  });
/** Payload of the retained connection topic. */
export type ConnectionPayload = z.infer<typeof ConnectionPayloadSchema>;

/**
 * The payload schema of every message kind, for code that handles kinds generically (a viewer, a
 * JSON Schema generator).
 *
 * @example
 * ```ts
 * import { PAYLOAD_SCHEMAS } from '@ot-mqtt/tag-model';
 * const ok = PAYLOAD_SCHEMAS.analog.safeParse(JSON.parse(text)).success;
 * ```
 */
export const PAYLOAD_SCHEMAS = {
  ...SCAN_PAYLOAD_SCHEMAS,
  connection: ConnectionPayloadSchema,
} as const;

/** The decoded payload type of each message kind. */
export type PayloadByKind = {
  readonly [K in keyof typeof PAYLOAD_SCHEMAS]: z.infer<(typeof PAYLOAD_SCHEMAS)[K]>;
};

/** Payload of `plc/bottlefiller/data`. */
export type DataPayload = PayloadByKind['data'];
/** Payload of `plc/bottlefiller/inputs`. */
export type InputsPayload = PayloadByKind['inputs'];
/** Payload of `plc/bottlefiller/outputs`. */
export type OutputsPayload = PayloadByKind['outputs'];
/** Payload of `plc/bottlefiller/analog`. */
export type AnalogPayload = PayloadByKind['analog'];
/** Payload of `plc/bottlefiller/status`. */
export type StatusPayload = PayloadByKind['status'];
/** Payload of `plc/bottlefiller/counters`. */
export type CountersPayload = PayloadByKind['counters'];
/** Payload of `plc/bottlefiller/alarms`. */
export type AlarmsPayload = PayloadByKind['alarms'];
