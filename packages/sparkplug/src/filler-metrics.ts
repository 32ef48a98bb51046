import {
  COMMANDS,
  FAULT_NAMES,
  TAGS,
  TAG_GROUP_NAMES,
  type BottleFillerTags,
  type CommandName,
  type TagGroupName,
  type TagMetadata,
} from '@ot-mqtt/tag-model';
import { DATA_TYPES, type DataTypeCode } from './data-types.js';
import type { PropertyValue, SparkplugMetric } from './payload.js';

/** A filler tag as a Sparkplug metric: where it lives in the tag model and how it is born. */
export interface FillerMetricDefinition {
  /** Tag group in the tag model (`analog`). */
  readonly group: TagGroupName;
  /** Tag name, exactly the architecture document's (`FillLevel`). */
  readonly tag: string;
  /** Metric name: the group as a folder (`Analog/FillLevel`, §6.4.2). */
  readonly name: string;
  /** Alias within a device's block: 1–30 in the tag model's order; see {@link deviceAlias}. */
  readonly aliasOffset: number;
  /**
   * BOOL → Boolean, DINT → Int32, REAL → Double: the JSON wire carries the simulator's doubles
   * (63.4), and a Float would reach hosts as 63.400001525878906 — a historian fed both formats would
   * store two values for one reading.
   */
  readonly datatype: DataTypeCode;
  /** Engineering unit and range (`engUnit`, `engLow`, `engHigh`) and `Documentation`. */
  readonly properties: Readonly<Record<string, PropertyValue>>;
}

/**
 * Aliases must be unique over an edge node and all its devices (§6.4.6): device `i` (0-based) owns
 * the block `i·100 + 1 … i·100 + 99` — tags at 1–30, commands at 51–61 — so an alias names its
 * device at a glance (`205` is the third filler's `Analog/FillLevel`).
 */
export const ALIAS_STRIDE = 100;

const COMMAND_ALIAS_OFFSET = 51;

const DATATYPE: Record<TagMetadata['dataType'], DataTypeCode> = {
  BOOL: DATA_TYPES.Boolean,
  REAL: DATA_TYPES.Double,
  DINT: DATA_TYPES.Int32,
};

const folder = (group: TagGroupName): string => group[0]!.toUpperCase() + group.slice(1);

function properties(meta: TagMetadata): Record<string, PropertyValue> {
  // Property keys as Ignition's MQTT Engine maps them onto tag properties.
  return {
    Documentation: { type: DATA_TYPES.String, value: meta.description },
    ...(meta.unit === undefined ? {} : { engUnit: { type: DATA_TYPES.String, value: meta.unit } }),
    ...(meta.range === undefined
      ? {}
      : {
          engLow: { type: DATA_TYPES.Double, value: meta.range.min },
          engHigh: { type: DATA_TYPES.Double, value: meta.range.max },
        }),
  };
}

/**
 * The 30 filler tags as Sparkplug metrics, in the tag model's order, derived from `TAGS` of
 * `@ot-mqtt/tag-model` (names, datatypes, units, ranges, descriptions).
 *
 * @example
 * ```ts
 * import { FILLER_METRICS } from '@ot-mqtt/sparkplug';
 * FILLER_METRICS.find((m) => m.tag === 'FillLevel');
 * // { group: 'analog', tag: 'FillLevel', name: 'Analog/FillLevel', aliasOffset: 13, datatype: 9, properties: {…} }
 * ```
 */
export const FILLER_METRICS: readonly FillerMetricDefinition[] = TAG_GROUP_NAMES.flatMap((group) =>
  Object.entries(TAGS[group] as Record<string, TagMetadata>).map(([tag, meta]) => ({
    group,
    tag,
    name: `${folder(group)}/${tag}`,
    aliasOffset: 0,
    datatype: DATATYPE[meta.dataType],
    properties: properties(meta),
  })),
).map((definition, i) => ({ ...definition, aliasOffset: i + 1 }));

/** A command a host can write to a filler device (DCMD), as a metric of its DBIRTH. */
export interface CommandMetricDefinition {
  /** The tag model's command it triggers. */
  readonly command: CommandName;
  /** Metric name (`Commands/start`). */
  readonly name: string;
  /** Alias within the device's block (51–61). */
  readonly aliasOffset: number;
  /** Boolean (write `true`), or String for the fault of `inject-fault`/`clear-fault`. */
  readonly datatype: DataTypeCode;
}

/**
 * One writable metric per command of `COMMANDS` (`@ot-mqtt/tag-model`): a DCMD writing `true` to
 * `Commands/start` is the JSON command `{"command":"start"}`; `Commands/inject-fault` takes the
 * fault name, `Commands/clear-fault` a fault name or `""` for all.
 *
 * @example
 * ```ts
 * import { COMMAND_METRICS } from '@ot-mqtt/sparkplug';
 * COMMAND_METRICS[0]; // { command: 'start', name: 'Commands/start', aliasOffset: 51, datatype: 11 }
 * ```
 */
export const COMMAND_METRICS: readonly CommandMetricDefinition[] = COMMANDS.map((command, i) => ({
  command,
  name: `Commands/${command}`,
  aliasOffset: COMMAND_ALIAS_OFFSET + i,
  datatype:
    command === 'inject-fault' || command === 'clear-fault'
      ? DATA_TYPES.String
      : DATA_TYPES.Boolean,
}));

/**
 * The alias of a metric of device `deviceIndex` (0-based); see {@link ALIAS_STRIDE}.
 *
 * @example
 * ```ts
 * import { deviceAlias } from '@ot-mqtt/sparkplug';
 * deviceAlias(2, 5); // 205
 * ```
 */
export function deviceAlias(deviceIndex: number, aliasOffset: number): number {
  return deviceIndex * ALIAS_STRIDE + aliasOffset;
}

const valueOf = (tags: BottleFillerTags, d: FillerMetricDefinition): boolean | number =>
  (tags[d.group] as Readonly<Record<string, boolean | number>>)[d.tag]!;

/**
 * The DBIRTH metrics of a filler: every tag with name, alias, datatype, value, timestamp and
 * properties, then every command metric (value `false` / `""`).
 *
 * @example
 * ```ts
 * import { fillerBirthMetrics } from '@ot-mqtt/sparkplug';
 * declare const tags: import('@ot-mqtt/tag-model').BottleFillerTags;
 * fillerBirthMetrics(tags, { deviceIndex: 0, timestamp: Date.now() }).length; // 41
 * ```
 */
export function fillerBirthMetrics(
  tags: BottleFillerTags,
  options: { readonly deviceIndex: number; readonly timestamp: number },
): SparkplugMetric[] {
  const { deviceIndex, timestamp } = options;
  const metrics: SparkplugMetric[] = FILLER_METRICS.map((d) => ({
    name: d.name,
    alias: deviceAlias(deviceIndex, d.aliasOffset),
    timestamp,
    datatype: d.datatype,
    value: valueOf(tags, d),
    properties: d.properties,
  }));
  for (const c of COMMAND_METRICS)
    metrics.push({
      name: c.name,
      alias: deviceAlias(deviceIndex, c.aliasOffset),
      timestamp,
      datatype: c.datatype,
      value: c.datatype === DATA_TYPES.String ? '' : false,
    });
  return metrics;
}

/**
 * Report by exception (§2.2): the DDATA metrics — alias, value and timestamp, no name or datatype —
 * of the tags whose value differs from the previous scan's. Every tag when there is no previous
 * scan. Exact comparison: the simulator's values change only when the process does.
 *
 * @example
 * ```ts
 * import { changedFillerMetrics } from '@ot-mqtt/sparkplug';
 * declare const before: import('@ot-mqtt/tag-model').BottleFillerTags;
 * declare const after: import('@ot-mqtt/tag-model').BottleFillerTags;
 * const metrics = changedFillerMetrics(before, after, { deviceIndex: 0, timestamp: Date.now() });
 * if (metrics.length > 0) {
 *   // publish a DDATA
 * }
 * ```
 */
export function changedFillerMetrics(
  previous: BottleFillerTags | undefined,
  next: BottleFillerTags,
  options: { readonly deviceIndex: number; readonly timestamp: number },
): SparkplugMetric[] {
  const metrics: SparkplugMetric[] = [];
  for (const d of FILLER_METRICS) {
    const value = valueOf(next, d);
    if (previous !== undefined && valueOf(previous, d) === value) continue;
    metrics.push({
      alias: deviceAlias(options.deviceIndex, d.aliasOffset),
      valueType: d.datatype,
      value,
      timestamp: options.timestamp,
    });
  }
  return metrics;
}

/**
 * Rebuilds a filler's complete tag set from metric values by name (what a host holds after a DBIRTH
 * and DDATA); `undefined` while any tag is missing or of the wrong type.
 *
 * @example
 * ```ts
 * import { fillerTagsFromMetrics } from '@ot-mqtt/sparkplug';
 * declare const values: ReadonlyMap<string, unknown>;
 * const tags = fillerTagsFromMetrics(values); // BottleFillerTags | undefined
 * ```
 */
export function fillerTagsFromMetrics(
  values: ReadonlyMap<string, unknown>,
): BottleFillerTags | undefined {
  const tags: Record<string, Record<string, boolean | number>> = {};
  for (const d of FILLER_METRICS) {
    const value = values.get(d.name);
    const ok =
      d.datatype === DATA_TYPES.Boolean ? typeof value === 'boolean' : typeof value === 'number';
    if (!ok) return undefined;
    (tags[d.group] ??= {})[d.tag] = value as boolean | number;
  }
  return tags as unknown as BottleFillerTags;
}

/** A DCMD write, as a tag-model command; or why a metric of the DCMD is not one. */
export type DeviceCommandWrite =
  | {
      readonly ok: true;
      readonly command: CommandName;
      readonly fault?: (typeof FAULT_NAMES)[number];
    }
  | { readonly ok: false; readonly metric: string; readonly problem: string };

const FAULTS = new Set<string>(FAULT_NAMES);

/**
 * Maps the metrics of a DCMD (by name or by alias of device `deviceIndex`) to tag-model commands.
 * A Boolean command metric triggers on `true` (`false` is ignored, as a momentary button's release);
 * `inject-fault` needs a fault name, `clear-fault` takes one or `""` (all).
 *
 * @example
 * ```ts
 * import { parseDeviceCommand } from '@ot-mqtt/sparkplug';
 * parseDeviceCommand([{ name: 'Commands/start', value: true }], 0);
 * // [{ ok: true, command: 'start' }]
 * ```
 */
export function parseDeviceCommand(
  metrics: readonly SparkplugMetric[],
  deviceIndex: number,
): DeviceCommandWrite[] {
  const writes: DeviceCommandWrite[] = [];
  for (const m of metrics) {
    const definition = COMMAND_METRICS.find((c) =>
      m.name !== undefined
        ? c.name === m.name
        : m.alias === deviceAlias(deviceIndex, c.aliasOffset),
    );
    const label = m.name ?? `alias ${String(m.alias)}`;
    if (definition === undefined) {
      writes.push({ ok: false, metric: label, problem: 'not a writable metric of this device' });
      continue;
    }
    if (definition.datatype === DATA_TYPES.Boolean) {
      if (typeof m.value !== 'boolean')
        writes.push({ ok: false, metric: label, problem: 'must be a Boolean' });
      else if (m.value) writes.push({ ok: true, command: definition.command });
      continue;
    }
    if (typeof m.value !== 'string') {
      writes.push({ ok: false, metric: label, problem: 'must be a String (a fault name)' });
    } else if (m.value === '' && definition.command === 'clear-fault') {
      writes.push({ ok: true, command: 'clear-fault' });
    } else if (!FAULTS.has(m.value)) {
      writes.push({
        ok: false,
        metric: label,
        problem: `must be one of ${FAULT_NAMES.join(', ')}`,
      });
    } else {
      writes.push({
        ok: true,
        command: definition.command,
        fault: m.value as (typeof FAULT_NAMES)[number],
      });
    }
  }
  return writes;
}
