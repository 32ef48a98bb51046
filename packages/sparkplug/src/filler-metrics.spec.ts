import { TAGS } from '@ot-mqtt/tag-model';
import { exampleTags } from '@ot-mqtt/tag-model/testing';
import { describe, expect, it } from 'vitest';
import { DATA_TYPES as T } from './data-types.js';
import {
  COMMAND_METRICS,
  FILLER_METRICS,
  fillerBirthMetrics,
  fillerTagsFromMetrics,
  parseDeviceCommand,
} from './filler-metrics.js';

describe('filler metrics', () => {
  it('derives the 30 tags from the tag model: names, datatypes, units, ranges', () => {
    expect(FILLER_METRICS).toHaveLength(30);
    expect(FILLER_METRICS.map((m) => m.aliasOffset)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    const rate = FILLER_METRICS.find((m) => m.name === 'Counters/BottlesPerMinute');
    expect(rate).toMatchObject({ group: 'counters', tag: 'BottlesPerMinute', datatype: T.Int32 });
    expect(rate?.properties).toEqual({
      Documentation: { type: T.String, value: TAGS.counters.BottlesPerMinute.description },
      engUnit: { type: T.String, value: 'bottles/min' },
      engLow: { type: T.Double, value: 0 },
      engHigh: { type: T.Double, value: 1000 },
    });
    expect(FILLER_METRICS.find((m) => m.name === 'Inputs/BottlePresent')?.datatype).toBe(T.Boolean);
  });

  it('rebuilds the tag set a host holds from metric values by name', () => {
    const tags = exampleTags();
    const values = new Map(
      fillerBirthMetrics(tags, { deviceIndex: 0, timestamp: 0 }).map((m) => [m.name!, m.value]),
    );
    expect(fillerTagsFromMetrics(values)).toEqual(tags);
    values.delete('Alarms/CapMissing');
    expect(fillerTagsFromMetrics(values)).toBeUndefined();
  });

  it('maps DCMD writes, by name or alias, to the tag model’s commands', () => {
    const start = COMMAND_METRICS.find((c) => c.command === 'start')!;
    expect(
      parseDeviceCommand(
        [
          { name: 'Commands/start', value: true },
          { alias: 100 + start.aliasOffset, value: true },
          { name: 'Commands/stop', value: false },
          { name: 'Commands/inject-fault', value: 'jamValve' },
          { name: 'Commands/clear-fault', value: '' },
        ],
        1,
      ),
    ).toEqual([
      { ok: true, command: 'start' },
      { ok: true, command: 'start' },
      { ok: true, command: 'inject-fault', fault: 'jamValve' },
      { ok: true, command: 'clear-fault' },
    ]);
    expect(
      parseDeviceCommand(
        [
          { name: 'Analog/FillLevel', value: 3 },
          { name: 'Commands/start', value: 1 },
          { name: 'Commands/inject-fault', value: 'gremlins' },
        ],
        0,
      ).map((w) => (w.ok ? w.command : w.problem)),
    ).toEqual([
      'not a writable metric of this device',
      'must be a Boolean',
      expect.stringMatching(/^must be one of emptyTank/u),
    ]);
  });
});
