import { describe, expect, it } from 'vitest';
import { BottleFillerTagsSchema, TAGS, TAG_GROUP_NAMES, type TagDataType } from './index.js';
import { exampleTags } from './testing/index.js';

// Transcribed by hand from the architecture document ("Bottle Filler Tag Structure"), so a rename
// in the code cannot silently agree with itself.
const SEED: Record<string, Record<string, TagDataType>> = {
  inputs: {
    BottlePresent: 'BOOL',
    BottleAtFill: 'BOOL',
    BottleAtCap: 'BOOL',
    LowLevel: 'BOOL',
    HighLevel: 'BOOL',
    CapPresent: 'BOOL',
  },
  outputs: {
    FillValve: 'BOOL',
    ConveyorMotor: 'BOOL',
    CappingMotor: 'BOOL',
    IndicatorGreen: 'BOOL',
    IndicatorRed: 'BOOL',
    IndicatorYellow: 'BOOL',
  },
  analog: {
    FillLevel: 'REAL',
    FillFlowRate: 'REAL',
    TankTemperature: 'REAL',
    TankPressure: 'REAL',
    ConveyorSpeed: 'REAL',
  },
  status: {
    SystemRunning: 'BOOL',
    Filling: 'BOOL',
    Ready: 'BOOL',
    Fault: 'BOOL',
    AutoMode: 'BOOL',
  },
  counters: { BottlesFilled: 'DINT', BottlesRejected: 'DINT', BottlesPerMinute: 'DINT' },
  alarms: {
    LowProductLevel: 'BOOL',
    Overfill: 'BOOL',
    Underfill: 'BOOL',
    NoBottle: 'BOOL',
    CapMissing: 'BOOL',
  },
};

const SEED_UNITS = {
  FillLevel: '%',
  FillFlowRate: 'L/min',
  TankTemperature: '°C',
  TankPressure: 'PSI',
  ConveyorSpeed: 'RPM',
};

describe('tag model', () => {
  it('has exactly the 30 tags of the architecture document, in its six groups, with their types', () => {
    expect(TAG_GROUP_NAMES).toEqual(Object.keys(SEED));
    const actual = Object.fromEntries(
      Object.entries(TAGS).map(([group, tags]) => [
        group,
        Object.fromEntries(Object.entries(tags).map(([name, meta]) => [name, meta.dataType])),
      ]),
    );
    expect(actual).toEqual(SEED);
    expect(Object.values(TAGS).flatMap((g) => Object.keys(g))).toHaveLength(30);
  });

  it('gives every analog tag the unit of the architecture document and a range to validate against', () => {
    for (const [name, unit] of Object.entries(SEED_UNITS)) {
      const meta = TAGS.analog[name as keyof typeof TAGS.analog];
      expect(meta.unit).toBe(unit);
      expect(meta.range.min).toBeLessThan(meta.range.max);
    }
    expect(TAGS.analog.FillLevel.range).toEqual({ min: 0, max: 100 });
  });

  it('describes every tag, and gives numbers a unit and range but booleans neither', () => {
    for (const group of Object.values(TAGS)) {
      for (const meta of Object.values(group)) {
        expect(meta.description.length).toBeGreaterThan(3);
        if (meta.dataType === 'BOOL') {
          expect(meta).not.toHaveProperty('unit');
          expect(meta).not.toHaveProperty('range');
        } else {
          expect(meta).toHaveProperty('unit');
          expect(meta).toHaveProperty('range');
        }
      }
    }
  });

  it('accepts a consistent scan and types each tag the way its metadata says', () => {
    const tags = BottleFillerTagsSchema.parse(exampleTags());
    for (const group of TAG_GROUP_NAMES) {
      for (const [name, meta] of Object.entries(TAGS[group])) {
        const value = (tags[group] as Record<string, unknown>)[name];
        expect(typeof value, `${group}.${name}`).toBe(
          meta.dataType === 'BOOL' ? 'boolean' : 'number',
        );
      }
    }
  });

  it('rejects counters that are negative or fractional, as a DINT counter never is', () => {
    const negative = exampleTags();
    negative.counters.BottlesFilled = -1;
    expect(BottleFillerTagsSchema.safeParse(negative).success).toBe(false);
    const fractional = exampleTags();
    fractional.counters.BottlesPerMinute = 2.5;
    expect(BottleFillerTagsSchema.safeParse(fractional).success).toBe(false);
  });
});
