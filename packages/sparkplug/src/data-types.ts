/**
 * Sparkplug B datatype codes (Sparkplug 3.0 §6.4.16), as they travel in `Metric.datatype` and
 * `PropertyValue.type`.
 *
 * @example
 * ```ts
 * import { DATA_TYPES } from '@ot-mqtt/sparkplug';
 * DATA_TYPES.Float; // 9
 * ```
 */
export const DATA_TYPES = {
  Unknown: 0,
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
  DataSet: 16,
  Bytes: 17,
  File: 18,
  Template: 19,
  PropertySet: 20,
  PropertySetList: 21,
} as const;

/** Name of a Sparkplug datatype; see {@link DATA_TYPES}. */
export type DataTypeName = keyof typeof DATA_TYPES;

/** Numeric code of a Sparkplug datatype; see {@link DATA_TYPES}. */
export type DataTypeCode = (typeof DATA_TYPES)[DataTypeName];

const NAMES = new Map<number, DataTypeName>(
  Object.entries(DATA_TYPES).map(([name, code]) => [code, name as DataTypeName]),
);

/**
 * The name of a datatype code, for display; `undefined` for a code Sparkplug 3.0 does not define.
 *
 * @example
 * ```ts
 * import { dataTypeName } from '@ot-mqtt/sparkplug';
 * dataTypeName(11); // 'Boolean'
 * ```
 */
export function dataTypeName(code: number): DataTypeName | undefined {
  return NAMES.get(code);
}
