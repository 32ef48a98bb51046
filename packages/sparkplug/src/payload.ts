import type { DataTypeCode } from './data-types.js';

/**
 * A metric value as JavaScript holds it: `boolean` (Boolean), `number` (Int8–UInt32, Float, Double,
 * DateTime in ms), `bigint` (Int64, UInt64), `string` (String, Text, UUID), `Uint8Array` (Bytes,
 * File), `null` (`is_null`), `undefined` for types this package does not unpack (DataSet, Template,
 * extensions).
 */
export type MetricValue = boolean | number | bigint | string | Uint8Array | null | undefined;

/** One property of a metric's PropertySet, e.g. `engUnit` or `engHigh`. */
export interface PropertyValue {
  /** Datatype code of the value; see {@link DATA_TYPES}. */
  readonly type: DataTypeCode;
  /** The value; `null` for `is_null` and for nested property sets (not unpacked). */
  readonly value: boolean | number | bigint | string | null;
}

/** One metric of a Sparkplug payload. */
export interface SparkplugMetric {
  /** Metric name; `/` separates folders (§6.4.2). In BIRTHs; DATA may carry the alias alone. */
  readonly name?: string;
  /** Alias (unique over the edge node and its devices, §6.4.6). */
  readonly alias?: number;
  /** When the value was read, ms since the epoch. */
  readonly timestamp?: number;
  /** Datatype code written to the wire (required in BIRTHs, omitted in DATA, §6.4.17). */
  readonly datatype?: DataTypeCode;
  /**
   * Encoding only: the datatype that selects the value field when `datatype` is left out (DATA by
   * alias). Never written itself.
   */
  readonly valueType?: DataTypeCode;
  /** The value; see {@link MetricValue}. */
  readonly value?: MetricValue;
  /** Historical value: hosts must not update the live tag with it. */
  readonly isHistorical?: boolean;
  /** Transient value: hosts should not store it. */
  readonly isTransient?: boolean;
  /** Properties by key (engineering units, ranges, documentation…). */
  readonly properties?: Readonly<Record<string, PropertyValue>>;
}

/** A Sparkplug B payload (the Tahu `Payload` message). */
export interface SparkplugPayload {
  /** When the message was sent, ms since the epoch. */
  readonly timestamp?: number;
  /** 0–255 (§6.4.5); absent on NDEATH, NCMD and DCMD. */
  readonly seq?: number;
  /** The metrics. */
  readonly metrics: readonly SparkplugMetric[];
  /** Schema UUID, if the sender sets one. */
  readonly uuid?: string;
  /** Opaque body, if the sender bypasses metrics. */
  readonly body?: Uint8Array;
}
