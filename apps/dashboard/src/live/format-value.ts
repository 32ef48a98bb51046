import { TAGS, type TagGroupName, type TagMetadata } from '@ot-mqtt/tag-model';

/** Where a tag lives and what it is, found by name in the tag model (never retyped). */
export interface TagInfo {
  readonly group: TagGroupName;
  readonly meta: TagMetadata;
}

const BY_NAME = new Map<string, TagInfo>();
for (const [group, tags] of Object.entries(TAGS) as Array<
  [TagGroupName, Record<string, TagMetadata>]
>) {
  for (const [name, meta] of Object.entries(tags)) BY_NAME.set(name, { group, meta });
}

/** The tag model's metadata of `tagName`, or undefined for a name that is not a tag. */
export function tagInfo(tagName: string): TagInfo | undefined {
  return BY_NAME.get(tagName);
}

/**
 * A tag value as the page shows it (and as the testing hooks' text carries it): REAL with one
 * decimal, DINT as an integer with thousands separators, BOOL as ON/OFF (alarms ACTIVE/normal).
 */
export function formatValue(tagName: string, value: unknown): string {
  const info = BY_NAME.get(tagName);
  if (typeof value === 'boolean') {
    if (info?.group === 'alarms') return value ? 'ACTIVE' : 'normal';
    return value ? 'ON' : 'OFF';
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (info?.meta.dataType === 'DINT') return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}
