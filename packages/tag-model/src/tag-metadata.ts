// Tag metadata only, no zod: a browser page that needs names, units and ranges (the dashboard)
// imports this without pulling the schema library (~20 kB gzip) that tags.ts builds from it.
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

// Each helper keeps its literal `dataType`, so the group schemas of tags.ts can type BOOL tags as
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
