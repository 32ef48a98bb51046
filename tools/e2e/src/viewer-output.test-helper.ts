import { vi } from 'vitest';
import { jsonLines, type Running } from './processes.test-helper.js';

/** The seven topic kinds of one scan, in the order the agent publishes them. */
export const SCAN_KINDS = [
  'data',
  'inputs',
  'outputs',
  'analog',
  'status',
  'counters',
  'alarms',
] as const;

/** One NDJSON line of the viewer's stdout (docs/viewer.md, "ndjson"). */
export interface ViewerRecord {
  readonly topic: string;
  readonly receivedAt: string;
  readonly kind: string | null;
  readonly machineId: string | null;
  readonly sequence: number | null;
  readonly qos: number;
  readonly retain: boolean;
  readonly dup: boolean;
  readonly payload?: Record<string, unknown>;
  readonly error?: {
    readonly path: string;
    readonly message: string;
    readonly moreIssues: number;
    readonly bytes: number;
    readonly preview: string;
  };
}

/** One NDJSON report event of the viewer's stderr. */
export type ViewerEvent = Record<string, unknown> & { readonly event: string };

/** The viewer's stdout records so far. */
export const records = (viewer: Running): ViewerRecord[] =>
  jsonLines(viewer.stdout) as unknown as ViewerRecord[];

/** The viewer's stderr report events so far. */
export const events = (viewer: Running): ViewerEvent[] =>
  jsonLines(viewer.stderr).filter((e): e is ViewerEvent => typeof e['event'] === 'string');

/** Sequence numbers whose seven messages have all been shown as valid. */
export function completeScans(all: readonly ViewerRecord[]): number[] {
  const kinds = new Map<number, Set<string>>();
  for (const r of all) {
    if (r.error || r.sequence === null || r.kind === null) continue;
    const set = kinds.get(r.sequence) ?? new Set<string>();
    set.add(r.kind);
    kinds.set(r.sequence, set);
  }
  return [...kinds]
    .filter(([, set]) => SCAN_KINDS.every((k) => set.has(k)))
    .map(([s]) => s)
    .sort((a, b) => a - b);
}

/** Waits for the viewer's broker connection to reach `connected` for the `nth` time. */
export function connected(viewer: Running, timeoutMs: number, nth = 1): Promise<ViewerEvent> {
  return vi.waitFor(
    () => {
      const event = events(viewer).filter(
        (e) => e.event === 'connection' && e['status'] === 'connected',
      )[nth - 1];
      if (!event) throw new Error(`viewer not connected (#${nth}) yet${viewer.dump()}`);
      return event;
    },
    { timeout: timeoutMs, interval: 25 },
  );
}
