import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TAGS,
  TAG_GROUP_NAMES,
  TOPIC_KINDS,
  encodeConnection,
  encodeScan,
  parseConnectionPayload,
  parsePayload,
  topicFor,
  type BottleFillerTags,
  type TagMetadata,
} from './index.js';
import { exampleTags } from './testing/index.js';

const meta = { machineId: 'filler-01', sequence: 42, timestamp: '2025-06-02T08:30:00.250Z' };

function tagValue(m: TagMetadata): fc.Arbitrary<boolean | number> {
  if (m.dataType === 'BOOL') return fc.boolean();
  const { min, max } = m.range ?? { min: 0, max: 1 };
  return m.dataType === 'DINT'
    ? fc.integer({ min, max })
    : // JSON has no -0 (it is written as 0), so compare against the value a consumer can receive.
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (v === 0 ? 0 : v));
}

const tagsArbitrary = fc.record(
  Object.fromEntries(
    TAG_GROUP_NAMES.map((group) => [
      group,
      fc.record(
        Object.fromEntries(
          Object.entries(TAGS[group] as Record<string, TagMetadata>).map(([name, m]) => [
            name,
            tagValue(m),
          ]),
        ),
      ),
    ]),
  ),
) as unknown as fc.Arbitrary<BottleFillerTags>;

describe('encodeScan', () => {
  it('publishes the complete dataset first, then the six groups, all with one envelope', () => {
    const messages = encodeScan(exampleTags(), meta);
    expect(messages.map((m) => m.topic)).toEqual(
      TOPIC_KINDS.map((kind) => topicFor(kind)) /* the seven seed topics (topics.spec) */,
    );
    for (const message of messages) {
      const payload = JSON.parse(message.payload);
      expect(payload).toMatchObject({ schemaVersion: 1, ...meta });
    }
    const [data, ...groups] = messages.map((m) => JSON.parse(m.payload).tags);
    expect(data).toEqual(exampleTags());
    expect(groups).toEqual(TAG_GROUP_NAMES.map((group) => exampleTags()[group]));
  });

  it('round-trips any in-range scan: every message parses back to the same tags', () => {
    fc.assert(
      fc.property(
        tagsArbitrary,
        fc.nat(),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (tags, sequence, timestamp) => {
          const messages = encodeScan(tags, { machineId: 'm-1', sequence, timestamp });
          for (const { topic, payload } of messages) {
            const result = parsePayload(topic, payload);
            if (!result.ok) throw new Error(JSON.stringify(result.error));
            expect(result.value.machineId).toBe('m-1');
            if (result.kind === 'data') expect(result.value.tags).toEqual(tags);
            else if (result.kind !== 'connection')
              expect(result.value.tags).toEqual(tags[result.kind]);
            if (result.kind !== 'connection') {
              expect(result.value.sequence).toBe(sequence);
              expect(result.value.timestamp).toBe(timestamp.toISOString());
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('writes tags in the model order whatever the key order of the input', () => {
    const tags = exampleTags();
    const reversed = Object.fromEntries(
      Object.entries(tags)
        .reverse()
        .map(([g, v]) => [g, Object.fromEntries(Object.entries(v).reverse())]),
    ) as unknown as BottleFillerTags;
    expect(encodeScan(reversed, meta)).toEqual(encodeScan(tags, meta));
  });

  it('uses the machine level and a custom root when asked', () => {
    const topics = encodeScan(exampleTags(), {
      ...meta,
      machineId: 'filler-02',
      root: 'site-a/line-3',
      includeMachineLevel: true,
    }).map((m) => m.topic);
    expect(topics[0]).toBe('site-a/line-3/filler-02/data');
    expect(topics[6]).toBe('site-a/line-3/filler-02/alarms');
    for (const topic of topics) expect(topic.startsWith('site-a/line-3/filler-02/')).toBe(true);
  });

  it('refuses to put an invalid value on the wire, naming the tag path', () => {
    const cases: Array<[(t: BottleFillerTags) => void, RegExp]> = [
      [(t) => (t.analog.FillLevel = 101), /tags\.analog\.FillLevel = 101 is outside .*0\.\.100 %/],
      [
        (t) => (t.analog.TankPressure = Number.NaN),
        /tags\.analog\.TankPressure must be a finite number/,
      ],
      [(t) => (t.counters.BottlesFilled = 1.5), /tags\.counters\.BottlesFilled must be an integer/],
      [
        (t) => ((t.inputs as Record<string, unknown>).BottlePresent = 'yes'),
        /tags\.inputs\.BottlePresent must be a boolean, got string "yes"/,
      ],
      [
        (t) => delete (t.alarms as Partial<BottleFillerTags['alarms']>).Overfill,
        /tags\.alarms\.Overfill must be a boolean, got undefined \(missing tag\)/,
      ],
    ];
    for (const [mutate, message] of cases) {
      const tags = exampleTags();
      mutate(tags);
      expect(() => encodeScan(tags, meta)).toThrow(message);
    }
  });

  it('refuses an invalid envelope', () => {
    const tags = exampleTags();
    expect(() => encodeScan(tags, { ...meta, machineId: 'a/b' })).toThrow(/machineId "a\/b"/);
    expect(() => encodeScan(tags, { ...meta, sequence: -1 })).toThrow(/sequence/);
    expect(() => encodeScan(tags, { ...meta, timestamp: '2025-06-02 08:30' })).toThrow(/timestamp/);
    expect(() => encodeScan(tags, { ...meta, timestamp: new Date(Number.NaN) })).toThrow(
      RangeError,
    );
  });
});

describe('encodeConnection', () => {
  it('encodes online with the publish interval and offline for the last will, both valid', () => {
    const online = encodeConnection('online', {
      machineId: 'filler-01',
      timestamp: new Date('2025-06-02T08:30:00Z'),
      publishIntervalMs: 2000,
    });
    expect(online.topic).toBe('plc/bottlefiller/connection');
    expect(JSON.parse(online.payload)).toEqual({
      schemaVersion: 1,
      status: 'online',
      timestamp: '2025-06-02T08:30:00.000Z',
      machineId: 'filler-01',
      publishIntervalMs: 2000,
    });
    const offline = encodeConnection('offline', {
      machineId: 'filler-02',
      includeMachineLevel: true,
    });
    expect(offline.topic).toBe('plc/bottlefiller/filler-02/connection');
    const parsed = parsePayload(offline.topic, offline.payload);
    expect(parsed.ok && parsed.kind === 'connection' && parsed.value.status).toBe('offline');
    expect(parseConnectionPayload(online.payload).ok).toBe(true);
  });
});
