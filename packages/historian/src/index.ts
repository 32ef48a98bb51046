export { openHistorian, isPostgresUrl, DEFAULT_HISTORIAN_DB } from './open-historian.js';
export type { OpenHistorianOptions } from './open-historian.js';
export { tagCatalog, flattenTags } from './tag-catalog.js';
export type { HistorianTag, TagCatalogOptions } from './tag-catalog.js';
export type {
  AlarmQuery,
  AlarmTransition,
  BooleanSeries,
  ChangePoint,
  HistorianStore,
  HistoryQuery,
  HistoryResult,
  InitialValue,
  LatestScan,
  MachineRecord,
  NumericPoint,
  NumericSeries,
  RetentionResult,
  ScanRecord,
  ScanRef,
  TagSeries,
  TimeRange,
  WriteResult,
} from './historian-store.js';
export type {
  AlarmJournalEntry,
  AlarmJournalQuery,
  JournalAlarmState,
  ScanValues,
  ScanValuesQuery,
  StoredAlarmEntry,
} from './alarm-journal.js';
