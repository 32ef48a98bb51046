import type { HistorianTag } from './tag-catalog.js';

/** Settings every engine stores with (resolved from {@link OpenHistorianOptions}). */
export interface StoreSettings {
  /** Tags with their deadbands. */
  readonly catalog: readonly HistorianTag[];
  /** Longest time without a stored value per tag, in ms. */
  readonly heartbeatMs: number;
}
