import { describe, expect, it } from 'vitest';
import {
  encodeScan,
  formatPayloadError,
  parseAnalogPayload,
  parseDataPayload,
  parsePayload,
  type ParseResult,
} from './index.js';
import { EXAMPLE_META, exampleScan, exampleTags } from './testing/index.js';

const [data, , , analog] = encodeScan(exampleTags(), EXAMPLE_META).map((m) => m.payload) as [
  string,
  string,
  string,
  string,
];

type Json = Record<string, unknown> & { tags: Record<string, Record<string, unknown>> };

/** The data payload with one change, as JSON text. */
function dataWith(mutate: (payload: Json) => void): string {
  const payload = JSON.parse(data) as Json;
  mutate(payload);
  return JSON.stringify(payload);
}

function errorOf(result: ParseResult) {
  if (result.ok) throw new Error('expected the payload to be rejected');
  return result.error;
}

describe('parsePayload', () => {
  it('accepts what encodeScan writes, and reports kind and machine id', () => {
    const result = parsePayload('plc/bottlefiller/analog', new TextEncoder().encode(analog));
    expect(result).toMatchObject({ ok: true, kind: 'analog', machineId: 'filler-01' });
    if (result.ok && result.kind === 'analog') expect(result.value.tags.FillLevel).toBe(63.4);
  });

  it.each([
    [
      'a wrong type',
      (p: Json) => (p.tags.inputs!.BottlePresent = 'true'),
      'tags.inputs.BottlePresent',
      'expected a boolean (BOOL), got string "true"',
    ],
    [
      'a missing tag',
      (p: Json) => delete p.tags.analog!.FillLevel,
      'tags.analog.FillLevel',
      'missing tag FillLevel',
    ],
    [
      'an extra tag',
      (p: Json) => (p.tags.alarms!.DoorOpen = false),
      'tags.alarms.DoorOpen',
      'unknown tag DoorOpen: not in the bottle-filler tag model',
    ],
    [
      'an out-of-range value',
      (p: Json) => (p.tags.analog!.FillLevel = 104.2),
      'tags.analog.FillLevel',
      '104.2 is out of range: FillLevel must be within 0..100 %',
    ],
    [
      'a negative counter',
      (p: Json) => (p.tags.counters!.BottlesRejected = -3),
      'tags.counters.BottlesRejected',
      '-3 is out of range: BottlesRejected must be within 0..2147483647 bottles',
    ],
    [
      'a fractional counter',
      (p: Json) => (p.tags.counters!.BottlesFilled = 10.5),
      'tags.counters.BottlesFilled',
      'expected an integer (DINT), got number 10.5',
    ],
    ['a missing group', (p: Json) => delete p.tags.status, 'tags.status', 'missing field status'],
    [
      'a missing envelope field',
      (p: Json) => delete p.sequence,
      'sequence',
      'missing field sequence',
    ],
    [
      'an unknown schema version',
      (p: Json) => (p.schemaVersion = 2),
      'schemaVersion',
      'expected 1, got number 2',
    ],
    [
      'a timestamp without milliseconds',
      (p: Json) => (p.timestamp = '2025-06-02T08:30:00Z'),
      'timestamp',
      'timestamp must be ISO-8601 UTC with milliseconds',
    ],
    [
      'a local-time timestamp',
      (p: Json) => (p.timestamp = '2025-06-02T10:30:00.000+02:00'),
      'timestamp',
      'timestamp must be ISO-8601 UTC with milliseconds',
    ],
    [
      'an unknown envelope field',
      (p: Json) => (p.quality = 'good'),
      'quality',
      'unknown field quality',
    ],
  ])('rejects %s, naming the topic and the tag path', (_case, mutate, path, message) => {
    const error = errorOf(parsePayload('plc/bottlefiller/data', dataWith(mutate)));
    expect(error).toMatchObject({ topic: 'plc/bottlefiller/data', path, message });
  });

  it('names the path relative to the group on a group topic', () => {
    const payload = JSON.parse(analog) as { tags: Record<string, unknown> };
    payload.tags.ConveyorSpeed = -5;
    const error = errorOf(parsePayload('plc/bottlefiller/analog', JSON.stringify(payload)));
    expect(error.path).toBe('tags.ConveyorSpeed');
    expect(error.message).toBe('-5 is out of range: ConveyorSpeed must be within 0..200 RPM');
  });

  it('reports every issue, the first one on the error itself', () => {
    const error = errorOf(
      parsePayload(
        'plc/bottlefiller/data',
        dataWith((p) => {
          p.tags.analog!.FillLevel = 'high';
          p.tags.status!.Fault = 1;
        }),
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['tags.analog.FillLevel', 'tags.status.Fault']);
    expect(formatPayloadError(error)).toBe(
      'plc/bottlefiller/data tags.analog.FillLevel: expected a finite number (REAL), got string "high" (+1 more)',
    );
  });

  it.each([
    ['non-JSON text', 'FillLevel=63.4', /^payload is not JSON: /],
    ['a JSON array', '[1,2]', /^expected a JSON object, got an array$/],
    ['a JSON number', '42', /^expected a JSON object, got number 42$/],
    ['an empty payload (cleared retained message)', '', /^payload is empty/],
    [
      'binary data',
      new Uint8Array([0x00, 0xc3, 0x28, 0xff]),
      /^payload is binary, not UTF-8 text \(4 bytes\)/,
    ],
  ])('rejects %s as a whole, without throwing', (_case, payload, message) => {
    const error = errorOf(parsePayload('plc/bottlefiller/status', payload));
    expect(error.topic).toBe('plc/bottlefiller/status');
    expect(error.path).toBe('');
    expect(error.message).toMatch(message);
  });

  it('rejects a topic outside the root, listing the kinds it knows', () => {
    const error = errorOf(parsePayload('plc/bottlefiller/temperature', data));
    expect(error.message).toMatch(/not a bottle-filler topic: .*kind one of data, inputs/);
  });

  it('accepts a custom root and a machine level, and checks the machine level against the payload', () => {
    const fleet = exampleScan({ machineId: 'filler-02', root: 'site-a', fleet: true });
    const first = fleet[0]!;
    expect(parsePayload(first.topic, first.payload, { root: 'site-a' })).toMatchObject({
      ok: true,
      kind: 'data',
      machineId: 'filler-02',
    });
    const error = errorOf(parsePayload('site-a/filler-09/data', first.payload, { root: 'site-a' }));
    expect(error).toMatchObject({ path: 'machineId' });
    expect(error.message).toMatch(
      /"filler-02" does not match the topic's machine level "filler-09"/,
    );
  });

  it('never throws, whatever arrives', () => {
    const junk: Array<string | Uint8Array> = [
      'null',
      '{"tags":null}',
      '{"schemaVersion":1,"tags":{"inputs":[]}}',
      '{"__proto__":{"polluted":true}}',
      '\u0000',
      new Uint8Array(0),
      new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    ];
    for (const payload of junk) {
      for (const topic of ['plc/bottlefiller/data', 'plc/bottlefiller/connection', '#']) {
        expect(() => parsePayload(topic, payload)).not.toThrow();
        expect(parsePayload(topic, payload).ok).toBe(false);
      }
    }
  });
});

describe('per-kind parse helpers', () => {
  it('parse one kind and name its standard topic, or the one given, in errors', () => {
    expect(parseDataPayload(data).ok).toBe(true);
    expect(errorOf(parseAnalogPayload(data)).topic).toBe('plc/bottlefiller/analog');
    expect(errorOf(parseAnalogPayload('{}', { topic: 'x/y/analog' })).topic).toBe('x/y/analog');
  });
});
