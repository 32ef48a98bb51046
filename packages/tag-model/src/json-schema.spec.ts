import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JSON_SCHEMA_NAMES, encodeConnection, encodeScan, toJsonSchema } from './index.js';
import { EXAMPLE_META, exampleTags } from './testing/index.js';

const shipped = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8'));

// A validator built from the shipped JSON Schema alone (zod 4's JSON Schema import), standing in for
// a consumer in another language that only has the .schema.json file.
const validatorFor = (name: string) =>
  z.fromJSONSchema(shipped(name) as z.core.JSONSchema.JSONSchema);

const STALE = 'is stale: run `npm run generate -w @ot-mqtt/tag-model` and commit schemas/';

describe('JSON Schema', () => {
  it.each(JSON_SCHEMA_NAMES)(
    'ships schemas/%s.schema.json exactly as the zod schemas generate it',
    (name) => {
      expect(shipped(name), `schemas/${name}.schema.json ${STALE}`).toEqual(toJsonSchema(name));
    },
  );

  it('describes every tag with its unit and engineering range', () => {
    const analog = toJsonSchema('analog') as {
      properties: { tags: { properties: Record<string, Record<string, unknown>> } };
    };
    expect(analog.properties.tags.properties.FillLevel).toMatchObject({
      type: 'number',
      minimum: 0,
      maximum: 100,
      unit: '%',
      description: 'Current fill level',
    });
  });

  it('accepts every real payload under the shipped JSON Schema', () => {
    const messages = encodeScan(exampleTags(), EXAMPLE_META);
    const names = ['data', 'inputs', 'outputs', 'analog', 'status', 'counters', 'alarms'];
    messages.forEach(({ payload }, i) => {
      expect(validatorFor(names[i]!).safeParse(JSON.parse(payload)).success, names[i]).toBe(true);
    });
    const online = encodeConnection('online', { machineId: 'filler-01', publishIntervalMs: 2000 });
    expect(validatorFor('connection').safeParse(JSON.parse(online.payload)).success).toBe(true);
    expect(validatorFor('tags').safeParse(exampleTags()).success).toBe(true);
  });

  it.each([
    ['a wrong type', (p: Payload) => (p.tags.inputs.BottlePresent = 1)],
    ['a missing tag', (p: Payload) => delete p.tags.alarms.Overfill],
    ['an extra tag', (p: Payload) => (p.tags.alarms.Smoke = false)],
    ['an out-of-range value', (p: Payload) => (p.tags.analog.FillLevel = 100.5)],
    ['a fractional counter', (p: Payload) => (p.tags.counters.BottlesFilled = 0.5)],
    ['a local-time timestamp', (p: Payload) => (p.timestamp = '2025-06-02T10:30:00+02:00')],
    ['a machine id with a slash', (p: Payload) => (p.machineId = 'a/b')],
    ['a negative sequence', (p: Payload) => (p.sequence = -1)],
    ['another schema version', (p: Payload) => (p.schemaVersion = 2)],
  ])('rejects %s under both the zod schema and the shipped JSON Schema', (_case, mutate) => {
    const payload = JSON.parse(encodeScan(exampleTags(), EXAMPLE_META)[0]!.payload) as Payload;
    mutate(payload);
    expect(validatorFor('data').safeParse(payload).success).toBe(false);
  });
});

type Group = Record<string, unknown>;
type Payload = Record<string, unknown> & {
  tags: {
    inputs: Group;
    outputs: Group;
    analog: Group;
    status: Group;
    counters: Group;
    alarms: Group;
  };
};
