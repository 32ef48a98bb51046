import { z } from 'zod';

/**
 * The PLC data type of a tag, as a controls engineer would declare it in the PLC program
 * (IEC 61131-3 elementary types).
 */
export type TagDataType = 'BOOL' | 'REAL' | 'DINT';

/** Engineering range of a numeric tag: the values the instrument can report. */
export interface TagRange {
  /** Lowest value the tag can take, inclusive. */
  readonly min: number;
  /** Highest value the tag can take, inclusive. */
  readonly max: number;
}

/** Run-time description of one tag, read by viewers, dashboards and docs instead of repeating it. */
export interface TagMetadata {
  /** What the tag means on the machine, as the architecture document describes it. */
  readonly description: string;
  /** PLC data type. */
  readonly dataType: TagDataType;
  /** Engineering unit (`%`, `L/min`, `°C`, `PSI`, `RPM`, `bottles`, `bottles/min`); absent for booleans. */
  readonly unit?: string;
  /** Engineering range; absent for booleans. */
  readonly range?: TagRange;
}

// Each helper keeps its literal `dataType`, so the group schemas below can type BOOL tags as
// `boolean` and REAL/DINT tags as `number` (with a plain `TagMetadata` both would widen).
const bool = (description: string) => ({ description, dataType: 'BOOL' }) as const;
const real = (description: string, unit: string, min: number, max: number) =>
  ({ description, dataType: 'REAL', unit, range: { min, max } }) as const;
const dint = (description: string, unit: string, max: number) =>
  ({ description, dataType: 'DINT', unit, range: { min: 0, max } }) as const;

/**
 * Every tag of the bottle filler, grouped as the PLC program groups them. Tag names are exactly the
 * architecture document's; this object is the single source of truth the zod schemas derive from.
 *
 * @example
 * ```ts
 * import { TAGS } from '@ot-mqtt/tag-model';
 * const { unit, range } = TAGS.analog.FillLevel; // '%', { min: 0, max: 100 }
 * ```
 */
export const TAGS = {
  inputs: {
    BottlePresent: bool('Photoeye detects bottle'),
    BottleAtFill: bool('Bottle in fill position'),
    BottleAtCap: bool('Bottle at capping station'),
    LowLevel: bool('Low product level sensor'),
    HighLevel: bool('High product level sensor'),
    CapPresent: bool('Cap detection sensor'),
  },
  outputs: {
    FillValve: bool('Fill valve open/close'),
    ConveyorMotor: bool('Conveyor motor run/stop'),
    CappingMotor: bool('Capping motor run/stop'),
    IndicatorGreen: bool('Green status light'),
    IndicatorRed: bool('Red status light'),
    IndicatorYellow: bool('Yellow warning light'),
  },
  analog: {
    FillLevel: real('Current fill level', '%', 0, 100),
    FillFlowRate: real('Flow rate', 'L/min', 0, 30),
    TankTemperature: real('Product temperature', '°C', -10, 60),
    TankPressure: real('Tank pressure', 'PSI', 0, 100),
    ConveyorSpeed: real('Conveyor speed', 'RPM', 0, 200),
  },
  status: {
    SystemRunning: bool('System is running'),
    Filling: bool('Currently filling'),
    Ready: bool('System ready'),
    Fault: bool('Fault condition active'),
    AutoMode: bool('Auto mode selected'),
  },
  counters: {
    BottlesFilled: dint('Total bottles filled', 'bottles', 2_147_483_647),
    BottlesRejected: dint('Total bottles rejected', 'bottles', 2_147_483_647),
    BottlesPerMinute: dint('Production rate', 'bottles/min', 1000),
  },
  alarms: {
    LowProductLevel: bool('Low product level alarm'),
    Overfill: bool('Overfill detected'),
    Underfill: bool('Underfill detected'),
    NoBottle: bool('No bottle at fill position'),
    CapMissing: bool('Cap missing alarm'),
  },
} as const satisfies Record<string, Record<string, TagMetadata>>;

/** Name of a tag group, which is also the last level of its MQTT topic. */
export type TagGroupName = keyof typeof TAGS;

/** The six tag groups in the order the PLC program declares them. */
export const TAG_GROUP_NAMES = Object.keys(TAGS) as readonly TagGroupName[];

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

/** Input tags (6 booleans): the sensors the PLC reads. */
export const InputsSchema = groupSchema(TAGS.inputs);
/** Input tags of one scan. */
export type Inputs = z.infer<typeof InputsSchema>;

/** Output tags (6 booleans): the actuators and lights the PLC drives. */
export const OutputsSchema = groupSchema(TAGS.outputs);
/** Output tags of one scan. */
export type Outputs = z.infer<typeof OutputsSchema>;

/** Analog tags (5 REALs) in engineering units, each within its engineering range. */
export const AnalogSchema = groupSchema(TAGS.analog);
/** Analog tags of one scan. */
export type Analog = z.infer<typeof AnalogSchema>;

/** Status tags (5 booleans): the machine's state. */
export const StatusSchema = groupSchema(TAGS.status);
/** Status tags of one scan. */
export type Status = z.infer<typeof StatusSchema>;

/** Counter tags (3 non-negative integers). */
export const CountersSchema = groupSchema(TAGS.counters);
/** Counter tags of one scan. */
export type Counters = z.infer<typeof CountersSchema>;

/** Alarm tags (5 booleans): true while the alarm is active. */
export const AlarmsSchema = groupSchema(TAGS.alarms);
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
