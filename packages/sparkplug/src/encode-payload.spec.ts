import { describe, expect, it } from 'vitest';
import { DATA_TYPES as T } from './data-types.js';
import { decodePayload } from './decode-payload.js';
import { encodePayload } from './encode-payload.js';
import { coerceMetricValue } from './metric-value.js';
import { SparkplugDecodeError } from './sparkplug-decode-error.js';

describe('encodePayload / decodePayload', () => {
  it('round-trips every scalar datatype exactly, 64-bit values as bigint', () => {
    const metrics = [
      { name: 'i8', datatype: T.Int8, value: -3 },
      { name: 'i16', datatype: T.Int16, value: -30_000 },
      { name: 'i32', datatype: T.Int32, value: -2_147_483_648 },
      { name: 'u8', datatype: T.UInt8, value: 255 },
      { name: 'u16', datatype: T.UInt16, value: 65_535 },
      { name: 'u32', datatype: T.UInt32, value: 4_294_967_295 },
      { name: 'i64', datatype: T.Int64, value: -9_223_372_036_854_775_808n },
      { name: 'u64', datatype: T.UInt64, value: 18_446_744_073_709_551_615n },
      { name: 'f', datatype: T.Float, value: 0.5 },
      { name: 'd', datatype: T.Double, value: 0.1 },
      { name: 'b', datatype: T.Boolean, value: false },
      { name: 's', datatype: T.String, value: 'Überfüllung' },
      { name: 'dt', datatype: T.DateTime, value: 1_700_000_000_123 },
      { name: 'bytes', datatype: T.Bytes, value: new Uint8Array([0, 1, 255]) },
      { name: 'null', datatype: T.Double, value: null },
    ] as const;
    const decoded = decodePayload(encodePayload({ timestamp: 1_700_000_000_000, seq: 7, metrics }));
    expect(decoded.timestamp).toBe(1_700_000_000_000);
    expect(decoded.seq).toBe(7);
    expect(decoded.metrics).toEqual(metrics);
  });

  it('keeps alias 0 apart from no alias, and the empty name apart from no name', () => {
    const [a, b] = decodePayload(
      encodePayload({
        metrics: [
          { alias: 0, value: true },
          { name: '', value: 1 },
        ],
      }),
    ).metrics;
    expect(a).toEqual({ alias: 0, value: true });
    expect(b).toEqual({ name: '', value: 1 });
    expect(decodePayload(encodePayload({ metrics: [] }))).toEqual({ metrics: [] });
  });

  it('writes a DATA metric in the field of its valueType without sending the datatype', () => {
    const [metric] = decodePayload(
      encodePayload({ metrics: [{ alias: 5, valueType: T.Int8, value: -1 }] }),
    ).metrics;
    // Raw: the uint32 field, as a host without the BIRTH sees it.
    expect(metric).toEqual({ alias: 5, value: 4_294_967_295 });
    expect(coerceMetricValue(metric!.value, T.Int8)).toBe(-1);
  });

  it('reads signed small integers as Java/JS (32-bit) and Python (8/16-bit mask) senders write them', () => {
    expect(coerceMetricValue(253, T.Int8)).toBe(-3);
    expect(coerceMetricValue(4_294_967_293, T.Int8)).toBe(-3);
    expect(coerceMetricValue(65_535, T.Int16)).toBe(-1);
    expect(coerceMetricValue(18_446_744_073_709_551_615n, T.Int64)).toBe(-1n);
    expect(coerceMetricValue(1_700_000_000_000n, T.DateTime)).toBe(1_700_000_000_000);
  });

  it('carries properties (engineering unit and range) with their types', () => {
    const properties = {
      engUnit: { type: T.String, value: 'L/min' },
      engLow: { type: T.Double, value: 0 },
      engHigh: { type: T.Double, value: 30 },
      missing: { type: T.Double, value: null },
    } as const;
    const [metric] = decodePayload(
      encodePayload({ metrics: [{ name: 'x', datatype: T.Float, value: 1, properties }] }),
    ).metrics;
    expect(metric?.properties).toEqual(properties);
  });

  it('refuses a value that does not fit its datatype, naming the metric', () => {
    expect(() =>
      encodePayload({ metrics: [{ name: 'Analog/FillLevel', datatype: T.Float, value: 'full' }] }),
    ).toThrow(/Analog\/FillLevel.*Float/u);
    expect(() =>
      encodePayload({ metrics: [{ name: 'n', datatype: T.Int32, value: 1.5 }] }),
    ).toThrow(TypeError);
  });

  it('throws SparkplugDecodeError, never anything else, on bytes that are not a payload', () => {
    for (const bytes of [
      new Uint8Array([0xff]),
      new Uint8Array([0x12, 0x05, 0x0a]),
      new TextEncoder().encode('{"schemaVersion":1}'),
    ])
      expect(() => decodePayload(bytes)).toThrow(SparkplugDecodeError);
    // An alias past 2^53 cannot be a JS number exactly.
    const big = encodePayload({ metrics: [{ alias: 2 ** 53, value: true }] });
    expect(() => decodePayload(big)).toThrow(/beyond 2\^53/u);
  });
});
