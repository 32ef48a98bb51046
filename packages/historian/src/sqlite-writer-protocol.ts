import type { HistorianStore } from './historian-store.js';

type WriteMethod =
  | 'writeScans'
  | 'setConnection'
  | 'appendAlarmEvents'
  | 'enforceRetention'
  | 'checkWritable'
  | 'close';

/** A write the main thread asks the SQLite writer thread to run (ids start at 1). */
export type WriterRequest = {
  [M in WriteMethod]: { id: number; method: M; args: Parameters<HistorianStore[M]> };
}[WriteMethod];

/** The writer thread's answer to request `id` (id 0: the thread opened the file, or why not). */
export type WriterReply = { id: number; value: unknown } | { id: number; error: unknown };
