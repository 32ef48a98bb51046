import { TAGS, TAG_GROUP_NAMES, type BottleFillerTags } from '@ot-mqtt/tag-model';

/**
 * A valid, realistic tag set (values inside each tag's engineering range, REALs with decimals, a
 * few BOOLs true) that varies with `i`, so payload sizes match what the agent publishes.
 */
export function sampleTags(i: number): BottleFillerTags {
  const groups: Record<string, Record<string, boolean | number>> = {};
  for (const group of TAG_GROUP_NAMES) {
    const out: Record<string, boolean | number> = {};
    let k = 0;
    for (const [name, meta] of Object.entries(TAGS[group])) {
      k++;
      const range = 'range' in meta && meta.range ? meta.range : { min: 0, max: 1000 };
      const span = range.max - range.min;
      const frac = ((i * 7 + k * 13) % 97) / 97;
      if (meta.dataType === 'BOOL') out[name] = (i + k) % 3 === 0;
      else if (meta.dataType === 'DINT') out[name] = Math.round(range.min + frac * span);
      else out[name] = Math.round((range.min + frac * span) * 1000 + 0.123) / 1000;
    }
    groups[group] = out;
  }
  return groups as unknown as BottleFillerTags;
}
