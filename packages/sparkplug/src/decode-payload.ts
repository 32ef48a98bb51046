import { fromBinary } from '@bufbuild/protobuf';
import type { DataTypeCode } from './data-types.js';
import { PayloadDesc } from './internal/sparkplug-b-descriptor.js';
import { coerceMetricValue } from './metric-value.js';
import type { MetricValue, PropertyValue, SparkplugMetric, SparkplugPayload } from './payload.js';
import { SparkplugDecodeError } from './sparkplug-decode-error.js';

// The runtime shape @bufbuild/protobuf gives a reflected proto2 message: set fields are own
// properties (unset ones read their default through the prototype), uint64 are bigint.
interface WireOneof {
  readonly case: string | undefined;
  readonly value?: unknown;
}
interface WirePropertyValue {
  readonly type?: number;
  readonly isNull?: boolean;
  readonly value: WireOneof;
}
interface WireMetric {
  readonly name?: string;
  readonly alias?: bigint;
  readonly timestamp?: bigint;
  readonly datatype?: number;
  readonly isHistorical?: boolean;
  readonly isTransient?: boolean;
  readonly isNull?: boolean;
  readonly properties?: { readonly keys: string[]; readonly values: WirePropertyValue[] };
  readonly value: WireOneof;
}
interface WirePayload {
  readonly timestamp?: bigint;
  readonly seq?: bigint;
  readonly uuid?: string;
  readonly body?: Uint8Array;
  readonly metrics: WireMetric[];
}

const has = <T extends object>(message: T, key: keyof T): boolean => Object.hasOwn(message, key);

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new SparkplugDecodeError(`${what} ${value} is beyond 2^53: not representable exactly`);
  return Number(value);
}

function rawValue(oneof: WireOneof): MetricValue {
  switch (oneof.case) {
    case 'intValue':
    case 'floatValue':
    case 'doubleValue':
      return oneof.value as number;
    case 'longValue':
      return oneof.value as bigint;
    case 'booleanValue':
      return oneof.value as boolean;
    case 'stringValue':
      return oneof.value as string;
    case 'bytesValue':
      return oneof.value as Uint8Array;
    default:
      return undefined;
  }
}

function properties(set: NonNullable<WireMetric['properties']>): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  set.keys.forEach((key, i) => {
    const wire = set.values[i];
    if (wire === undefined) return;
    const type = (wire.type ?? 0) as DataTypeCode;
    const value = wire.isNull ? null : coerceMetricValue(rawValue(wire.value), type);
    out[key] = {
      type,
      value: value === undefined || value instanceof Uint8Array ? null : value,
    };
  });
  return out;
}

function metric(wire: WireMetric, index: number): SparkplugMetric {
  const what = `metric ${index}`;
  const datatype = has(wire, 'datatype') ? (wire.datatype as DataTypeCode) : undefined;
  const value = wire.isNull ? null : coerceMetricValue(rawValue(wire.value), datatype);
  return {
    ...(has(wire, 'name') ? { name: wire.name as string } : {}),
    ...(has(wire, 'alias') ? { alias: safeNumber(wire.alias as bigint, `${what} alias`) } : {}),
    ...(has(wire, 'timestamp')
      ? { timestamp: safeNumber(wire.timestamp as bigint, `${what} timestamp`) }
      : {}),
    ...(datatype === undefined ? {} : { datatype }),
    ...(wire.isHistorical ? { isHistorical: true } : {}),
    ...(wire.isTransient ? { isTransient: true } : {}),
    ...(has(wire, 'properties') ? { properties: properties(wire.properties!) } : {}),
    value,
  };
}

/**
 * Decodes Sparkplug B protobuf bytes. Values are read by the metric's datatype when it has one;
 * DATA metrics sent by alias alone come back raw (`number` for the uint32 field, `bigint` for the
 * uint64) — pass them through {@link coerceMetricValue} with the datatype from the BIRTH
 * ({@link createHostSession} does).
 *
 * @throws SparkplugDecodeError if the bytes are not a valid payload.
 *
 * @example
 * ```ts
 * import { decodePayload } from '@ot-mqtt/sparkplug';
 * declare const bytes: Uint8Array; // an MQTT message on spBv1.0/…
 * const { seq, metrics } = decodePayload(bytes);
 * for (const m of metrics) console.log(m.name ?? m.alias, m.value);
 * ```
 */
export function decodePayload(bytes: Uint8Array): SparkplugPayload {
  let wire: WirePayload;
  try {
    wire = fromBinary(PayloadDesc, bytes) as unknown as WirePayload;
  } catch (error) {
    throw new SparkplugDecodeError(`not a Sparkplug B payload: ${(error as Error).message}`);
  }
  return {
    ...(has(wire, 'timestamp')
      ? { timestamp: safeNumber(wire.timestamp as bigint, 'timestamp') }
      : {}),
    ...(has(wire, 'seq') ? { seq: safeNumber(wire.seq as bigint, 'seq') } : {}),
    ...(has(wire, 'uuid') ? { uuid: wire.uuid as string } : {}),
    ...(has(wire, 'body') ? { body: wire.body as Uint8Array } : {}),
    metrics: wire.metrics.map(metric),
  };
}
