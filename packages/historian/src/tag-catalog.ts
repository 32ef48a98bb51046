import {
  TAGS,
  TAG_GROUP_NAMES,
  type BottleFillerTags,
  type TagGroupName,
  type TagMetadata,
} from '@ot-mqtt/tag-model';

/** One tag as the historian stores it, derived from `@ot-mqtt/tag-model` (never retyped). */
export interface HistorianTag {
  /** Tag name, e.g. `FillLevel`. */
  readonly name: string;
  /** Tag group, e.g. `analog`. */
  readonly group: TagGroupName;
  /** `'boolean'` for BOOL, `'number'` for REAL and DINT. */
  readonly kind: 'boolean' | 'number';
  /** Engineering unit, or `null`. */
  readonly unit: string | null;
  /** Engineering range minimum, or `null`. */
  readonly min: number | null;
  /** Engineering range maximum, or `null`. */
  readonly max: number | null;
  /** A new value is stored only if it differs from the last stored one by more than this (0: any change). */
  readonly deadband: number;
}

/** Options of {@link tagCatalog}. */
export interface TagCatalogOptions {
  /**
   * Deadband of REAL tags as a percentage of their engineering span (default 0.5, as analog
   * historians commonly start; 0 stores every change). BOOL and DINT tags are always stored on any
   * change: a counter step or a flipped bit is never noise.
   */
  readonly deadbandPercent?: number;
}

/**
 * The 30 tags of the bottle filler with their storage settings, in tag-model order.
 *
 * @example
 * ```ts
 * import { tagCatalog } from '@ot-mqtt/historian';
 * const fillLevel = tagCatalog().find((t) => t.name === 'FillLevel'); // deadband 0.5 (% of 0–100)
 * ```
 */
export function tagCatalog(options: TagCatalogOptions = {}): HistorianTag[] {
  const percent = options.deadbandPercent ?? 0.5;
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`deadbandPercent must be from 0 to 100, got ${String(percent)}`);
  }
  return TAG_GROUP_NAMES.flatMap((group) =>
    Object.entries(TAGS[group] as Record<string, TagMetadata>).map(([name, meta]) => {
      const span = meta.range ? meta.range.max - meta.range.min : 0;
      return {
        name,
        group,
        kind: meta.dataType === 'BOOL' ? ('boolean' as const) : ('number' as const),
        unit: meta.unit ?? null,
        min: meta.range?.min ?? null,
        max: meta.range?.max ?? null,
        deadband: meta.dataType === 'REAL' ? (span * percent) / 100 : 0,
      };
    }),
  );
}

/**
 * The tags of a scan flat by name (`{ FillLevel: 63.4, Fault: false, … }`): tag names are unique
 * across groups in the tag model, and this is the shape `/latest` serves.
 *
 * @example
 * ```ts
 * import { flattenTags } from '@ot-mqtt/historian';
 * flattenTags(scan.tags).FillLevel; // 63.4
 * ```
 */
export function flattenTags(tags: BottleFillerTags): Record<string, number | boolean> {
  const flat: Record<string, number | boolean> = {};
  for (const group of TAG_GROUP_NAMES) Object.assign(flat, tags[group]);
  return flat;
}
