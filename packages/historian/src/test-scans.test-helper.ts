import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { exampleTags } from '@ot-mqtt/tag-model/testing';
import type { ScanRecord } from './historian-store.js';

/**
 * The example mid-fill scan of `@ot-mqtt/tag-model/testing`, at the level and counters these tests
 * were written against; `patch` overrides single tags by name, in whichever group they live.
 */
export function tagsWith(patch: Record<string, number | boolean> = {}): BottleFillerTags {
  const tags = exampleTags({
    analog: { FillLevel: 50 },
    counters: { BottlesFilled: 100, BottlesRejected: 2 },
  });
  for (const [name, value] of Object.entries(patch)) {
    const group = Object.values(tags).find((g: Record<string, unknown>) => name in g) as
      Record<string, unknown> | undefined;
    if (!group) throw new Error(`no tag ${name}`);
    group[name] = value;
  }
  return tags;
}

/** 2026-11-30T00:00:00.000Z: tests use fixed times (UTC). */
export const T0 = Date.parse('2026-11-30T00:00:00.000Z');

/** One scan of `machineId` with sequence `sequence` at `T0 + sequence × 2 s` unless `ts` is given. */
export function scan(
  machineId: string,
  sequence: number,
  patch: Record<string, number | boolean> = {},
  ts = T0 + sequence * 2_000,
): ScanRecord {
  return { machineId, sequence, timestamp: new Date(ts).toISOString(), tags: tagsWith(patch) };
}
