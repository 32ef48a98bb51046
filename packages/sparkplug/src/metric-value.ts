import { DATA_TYPES } from './data-types.js';
import type { MetricValue } from './payload.js';

const { Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, DateTime } = DATA_TYPES;

/**
 * Reads a raw wire value as the given datatype: signed small integers from their `uint32` field
 * (both the 32-bit two's complement Java/JS senders write and the 8/16-bit masks of Python's),
 * Int64 from its `uint64`, DateTime as ms. Hosts use it for DATA metrics that carry an alias and no
 * datatype: the datatype comes from the BIRTH.
 *
 * @example
 * ```ts
 * import { DATA_TYPES, coerceMetricValue } from '@ot-mqtt/sparkplug';
 * coerceMetricValue(253, DATA_TYPES.Int8); // -3
 * coerceMetricValue(18446744073709551615n, DATA_TYPES.Int64); // -1n
 * ```
 */
export function coerceMetricValue(value: MetricValue, datatype: number | undefined): MetricValue {
  if (typeof value === 'number') {
    switch (datatype) {
      case Int8:
        return (value << 24) >> 24;
      case Int16:
        return (value << 16) >> 16;
      case Int32:
        return value | 0;
      case UInt8:
      case UInt16:
      case UInt32:
        return value >>> 0;
      default:
        return value;
    }
  }
  if (typeof value === 'bigint') {
    switch (datatype) {
      case Int64:
        return BigInt.asIntN(64, value);
      case UInt64:
        return BigInt.asUintN(64, value);
      case DateTime:
        return Number(value);
      default:
        return value;
    }
  }
  return value;
}
