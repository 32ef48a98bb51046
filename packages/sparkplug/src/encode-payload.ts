import { create, toBinary } from '@bufbuild/protobuf';
import { DATA_TYPES, dataTypeName, type DataTypeCode } from './data-types.js';
import { PayloadDesc } from './internal/sparkplug-b-descriptor.js';
import type { MetricValue, PropertyValue, SparkplugMetric, SparkplugPayload } from './payload.js';

const T = DATA_TYPES;

interface WireValue {
  readonly case: string;
  readonly value: unknown;
}

function inferType(value: MetricValue): DataTypeCode {
  switch (typeof value) {
    case 'boolean':
      return T.Boolean;
    case 'string':
      return T.String;
    case 'bigint':
      return T.Int64;
    case 'number':
      return T.Double;
    default:
      return value instanceof Uint8Array ? T.Bytes : T.Unknown;
  }
}

function toLong(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return BigInt.asUintN(64, value);
  if (typeof value === 'number' && Number.isInteger(value))
    return BigInt.asUintN(64, BigInt(value));
  throw new TypeError(`${what}: expected an integer number or a bigint, got ${String(value)}`);
}

function expect<V>(ok: boolean, value: V, type: number, what: string): V {
  if (!ok)
    throw new TypeError(
      `${what}: a ${dataTypeName(type) ?? `type ${type}`} value cannot be ${typeof value} ${String(value)}`,
    );
  return value;
}

// Which field of the `value` oneof a datatype travels in (§6.4.17): small integers in the uint32
// as 32-bit two's complement, 64-bit integers and DateTime in the uint64.
function wireValue(
  value: MetricValue | PropertyValue['value'],
  type: number,
  what: string,
): WireValue {
  switch (type) {
    case T.Int8:
    case T.Int16:
    case T.Int32:
    case T.UInt8:
    case T.UInt16:
    case T.UInt32:
      return {
        case: 'intValue',
        value:
          expect(
            typeof value === 'number' && Number.isInteger(value),
            value as number,
            type,
            what,
          ) >>> 0,
      };
    case T.Int64:
    case T.UInt64:
    case T.DateTime:
      return { case: 'longValue', value: toLong(value, what) };
    case T.Float:
      return { case: 'floatValue', value: expect(typeof value === 'number', value, type, what) };
    case T.Double:
      return { case: 'doubleValue', value: expect(typeof value === 'number', value, type, what) };
    case T.Boolean:
      return { case: 'booleanValue', value: expect(typeof value === 'boolean', value, type, what) };
    case T.String:
    case T.Text:
    case T.UUID:
      return { case: 'stringValue', value: expect(typeof value === 'string', value, type, what) };
    case T.Bytes:
    case T.File:
      return { case: 'bytesValue', value: expect(value instanceof Uint8Array, value, type, what) };
    default:
      throw new TypeError(`${what}: cannot encode a value of datatype ${type}`);
  }
}

function propertySet(properties: Readonly<Record<string, PropertyValue>>, what: string) {
  const keys: string[] = [];
  const values: Record<string, unknown>[] = [];
  for (const [key, property] of Object.entries(properties)) {
    keys.push(key);
    values.push(
      property.value === null
        ? { type: property.type, isNull: true }
        : {
            type: property.type,
            value: wireValue(property.value, property.type, `${what} property ${key}`),
          },
    );
  }
  return { keys, values };
}

function wireMetric(metric: SparkplugMetric, index: number): Record<string, unknown> {
  const what = `metric ${metric.name ?? metric.alias ?? index}`;
  const out: Record<string, unknown> = {};
  if (metric.name !== undefined) out['name'] = metric.name;
  if (metric.alias !== undefined) out['alias'] = toLong(metric.alias, `${what} alias`);
  if (metric.timestamp !== undefined)
    out['timestamp'] = toLong(metric.timestamp, `${what} timestamp`);
  if (metric.datatype !== undefined) out['datatype'] = metric.datatype;
  if (metric.isHistorical) out['isHistorical'] = true;
  if (metric.isTransient) out['isTransient'] = true;
  if (metric.properties !== undefined) out['properties'] = propertySet(metric.properties, what);
  if (metric.value === null) out['isNull'] = true;
  else if (metric.value !== undefined) {
    const type = metric.datatype ?? metric.valueType ?? inferType(metric.value);
    out['value'] = wireValue(metric.value, type, what);
  }
  return out;
}

/**
 * Encodes a Sparkplug B payload to protobuf bytes (the Tahu `Payload` message), through
 * `@bufbuild/protobuf`. 64-bit values are exact (`bigint`); a metric's value goes in the field its
 * `datatype` (or, for DATA by alias, its `valueType`) names — without either, the JavaScript type
 * decides (boolean → Boolean, string → String, bigint → Int64, number → Double).
 *
 * @throws TypeError naming the metric if a value does not fit its datatype.
 *
 * @example
 * ```ts
 * import { DATA_TYPES, encodePayload } from '@ot-mqtt/sparkplug';
 * const bytes = encodePayload({
 *   timestamp: Date.now(),
 *   seq: 1,
 *   metrics: [{ alias: 9, valueType: DATA_TYPES.Float, value: 42.5, timestamp: Date.now() }],
 * });
 * ```
 */
export function encodePayload(payload: SparkplugPayload): Uint8Array {
  const init: Record<string, unknown> = { metrics: payload.metrics.map(wireMetric) };
  if (payload.timestamp !== undefined) init['timestamp'] = toLong(payload.timestamp, 'timestamp');
  if (payload.seq !== undefined) init['seq'] = toLong(payload.seq, 'seq');
  if (payload.uuid !== undefined) init['uuid'] = payload.uuid;
  if (payload.body !== undefined) init['body'] = payload.body;
  return toBinary(PayloadDesc, create(PayloadDesc, init));
}
