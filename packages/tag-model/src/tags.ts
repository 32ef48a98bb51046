import { z } from 'zod';

import { TAGS, type TagMetadata } from './tag-metadata.js';

export { TAGS, TAG_GROUP_NAMES } from './tag-metadata.js';
export type { TagDataType, TagGroupName, TagMetadata, TagRange } from './tag-metadata.js';

function schemaFor(meta: TagMetadata): z.ZodBoolean | z.ZodNumber {
  const described = { description: meta.description, ...(meta.unit ? { unit: meta.unit } : {}) };
  if (meta.dataType === 'BOOL') return z.boolean().meta(described);
  const range = meta.range ?? { min: -Infinity, max: Infinity };
  const base = meta.dataType === 'DINT' ? z.number().int() : z.number();
  return base.min(range.min).max(range.max).meta(described);
}

type GroupShape<G extends Record<string, TagMetadata>> = {
  -readonly [K in keyof G]: G[K]['dataType'] extends 'BOOL' ? z.ZodBoolean : z.ZodNumber;
};

function groupSchema<G extends Record<string, TagMetadata>>(group: G) {
  const shape = Object.fromEntries(
    Object.entries(group).map(([name, meta]) => [name, schemaFor(meta)]),
  ) as GroupShape<G>;
  // Strict: an unknown tag is a contract violation, not something to pass along silently.
  return z.strictObject(shape);
}

// One schema per group of TAGS; the types follow, all inferred.

/** Input tags (6 booleans): the sensors the PLC reads. */
export const InputsSchema = groupSchema(TAGS.inputs);
/** Output tags (6 booleans): the actuators and lights the PLC drives. */
export const OutputsSchema = groupSchema(TAGS.outputs);
/** Analog tags (5 REALs) in engineering units, each within its engineering range. */
export const AnalogSchema = groupSchema(TAGS.analog);
/** Status tags (5 booleans): the machine's state. */
export const StatusSchema = groupSchema(TAGS.status);
/** Counter tags (3 non-negative integers). */
export const CountersSchema = groupSchema(TAGS.counters);
/** Alarm tags (5 booleans): true while the alarm is active. */
export const AlarmsSchema = groupSchema(TAGS.alarms);

/** Input tags of one scan. */
export type Inputs = z.infer<typeof InputsSchema>;
/** Output tags of one scan. */
export type Outputs = z.infer<typeof OutputsSchema>;
/** Analog tags of one scan. */
export type Analog = z.infer<typeof AnalogSchema>;
/** Status tags of one scan. */
export type Status = z.infer<typeof StatusSchema>;
/** Counter tags of one scan. */
export type Counters = z.infer<typeof CountersSchema>;
/** Alarm tags of one scan. */
export type Alarms = z.infer<typeof AlarmsSchema>;

/** The complete tag set of one PLC scan: all six groups. */
export const BottleFillerTagsSchema = z.strictObject({
  inputs: InputsSchema,
  outputs: OutputsSchema,
  analog: AnalogSchema,
  status: StatusSchema,
  counters: CountersSchema,
  alarms: AlarmsSchema,
});
/** The complete tag set of one PLC scan. */
export type BottleFillerTags = z.infer<typeof BottleFillerTagsSchema>;
