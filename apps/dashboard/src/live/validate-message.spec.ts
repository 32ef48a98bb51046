import { parsePayload, TAGS, type BottleFillerTags } from '@ot-mqtt/tag-model';
import { exampleConnection } from '@ot-mqtt/tag-model/testing';
import { createBottleFiller } from '@ot-mqtt/plc-sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessage } from './validate-message.js';

function scanTags(): BottleFillerTags {
  const filler = createBottleFiller({ machineId: 'filler-0001' });
  filler.step(5_000);
  return filler.snapshot();
}

const envelope = (tags: unknown, extra: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  timestamp: '2026-01-15T08:30:00.000Z',
  machineId: 'filler-0001',
  sequence: 7,
  tags,
  ...extra,
});

describe('validateMessage (the page checks scans without zod)', () => {
  it('accepts a simulator scan and names the field of a bad one', () => {
    const good = validateMessage('data', 'filler-0001', JSON.stringify(envelope(scanTags())));
    expect(good.ok).toBe(true);
    const tags = scanTags();
    const bad = validateMessage(
      'data',
      undefined,
      JSON.stringify(envelope({ ...tags, analog: { ...tags.analog, FillLevel: 120 } })),
    );
    expect(bad).toEqual({
      ok: false,
      message: 'tags.analog.FillLevel: 120 is out of range: FillLevel must be within 0..100 %',
    });
    expect(validateMessage('data', undefined, 'not json')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not JSON'),
    });
    expect(
      validateMessage('data', 'filler-0002', JSON.stringify(envelope(scanTags()))),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining("does not match the topic's machine level"),
    });
    expect(validateMessage('data', undefined, new Uint8Array([0xff, 0xfe]))).toMatchObject({
      ok: false,
      message: expect.stringContaining('not UTF-8'),
    });
    expect(validateMessage('connection', undefined, '')).toMatchObject({
      ok: false,
      message: expect.stringContaining('empty'),
    });
  });

  // The same verdict as tag-model's zod schemas on random mutations of valid payloads: the
  // checker is the schema's rule, not a second one that could drift.
  it('accepts and rejects exactly what tag-model parsePayload does (property test)', () => {
    const groups = Object.keys(TAGS) as Array<keyof typeof TAGS>;
    const tagPaths = groups.flatMap((g) => Object.keys(TAGS[g]).map((t) => [g, t] as const));
    const weird = fc.oneof(
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 3e9 }),
      fc.integer({ min: -10, max: 2_200_000_000 }),
      fc.string({ maxLength: 4 }),
      fc.constant(null),
      fc.constant(undefined),
    );
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('tag' as const),
        at: fc.nat(tagPaths.length - 1),
        value: weird,
      }),
      fc.record({
        kind: fc.constant('envelope' as const),
        field: fc.constantFrom('schemaVersion', 'timestamp', 'machineId', 'sequence', 'extra'),
        value: fc.oneof(
          weird,
          fc.constantFrom(
            '2024-02-29T00:00:00.000Z',
            '2023-02-29T10:00:00.000Z',
            '2026-01-15T08:30:00Z',
            'a/b',
            'x'.repeat(65),
            'ok-id_1.2',
          ),
        ),
      }),
      fc.record({ kind: fc.constant('extra-tag' as const), group: fc.constantFrom(...groups) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 3 }), fc.boolean(), (mutations, fleet) => {
        const tags = JSON.parse(JSON.stringify(scanTags())) as Record<
          string,
          Record<string, unknown>
        >;
        const payload = envelope(tags) as Record<string, unknown>;
        for (const m of mutations) {
          if (m.kind === 'tag') {
            const [g, t] = tagPaths[m.at]!;
            tags[g]![t] = m.value;
          } else if (m.kind === 'envelope') payload[m.field] = m.value;
          else tags[m.group]!.Unknown = true;
        }
        const text = JSON.stringify(payload);
        const topic = fleet ? 'plc/bottlefiller/filler-0001/data' : 'plc/bottlefiller/data';
        const zod = parsePayload(topic, text);
        const ours = validateMessage('data', fleet ? 'filler-0001' : undefined, text);
        expect(ours.ok).toBe(zod.ok);
      }),
      { numRuns: 400 },
    );
  });

  it('connection payloads: the same verdict as parsePayload', () => {
    const base = JSON.parse(
      exampleConnection('online', { publishIntervalMs: 2000 }).payload,
    ) as object;
    const cases = [
      base,
      { ...base, status: 'maybe' },
      { ...base, publishIntervalMs: 0 },
      { ...base, publishIntervalMs: 1.5 },
      { ...base, extra: 1 },
      { ...base, publishIntervalMs: undefined },
    ];
    for (const c of cases) {
      const text = JSON.stringify(c);
      expect(validateMessage('connection', undefined, text).ok).toBe(
        parsePayload('plc/bottlefiller/connection', text).ok,
      );
    }
  });
});
