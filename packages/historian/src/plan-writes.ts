import { mustStore, type MachineReference } from './change-filter.js';
import type { ScanRecord } from './historian-store.js';
import { flattenTags, type HistorianTag } from './tag-catalog.js';

/** A scan with its time parsed, as the engines handle it. */
export interface NormalizedScan {
  readonly machineId: string;
  readonly sequence: number;
  readonly ts: number;
  readonly tags: Record<string, number | boolean>;
}

/** What an engine knows of a machine before a batch. */
export interface MachineState {
  readonly lastTs: number | null;
  readonly reference: MachineReference;
}

/** A machine row after a batch: newest scan (if the batch had a newer one) and the new reference. */
export interface MachineUpdate {
  readonly machineId: string;
  readonly latest: NormalizedScan | undefined;
  readonly reference: MachineReference;
}

/** Rows to write for a batch. */
export interface WritePlan {
  readonly samples: Array<{ machineId: string; tag: string; ts: number; value: number }>;
  readonly machines: MachineUpdate[];
}

/** Parses a scan time to milliseconds; throws a `RangeError` naming the scan if it is not a time. */
export function toMillis(timestamp: string | Date | number, what = 'timestamp'): number {
  const ms =
    typeof timestamp === 'number'
      ? timestamp
      : timestamp instanceof Date
        ? timestamp.getTime()
        : Date.parse(timestamp);
  if (!Number.isFinite(ms))
    throw new RangeError(`${what} is not a valid time: ${String(timestamp)}`);
  return ms;
}

/** Parses the scans and drops repeats within the batch (same machine, time and sequence). */
export function normalizeScans(scans: readonly ScanRecord[]): NormalizedScan[] {
  const seen = new Set<string>();
  const out: NormalizedScan[] = [];
  for (const scan of scans) {
    const ts = toMillis(scan.timestamp, `scan ${scan.machineId}#${scan.sequence} timestamp`);
    const key = `${scan.machineId}\u0000${ts}\u0000${scan.sequence}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      machineId: scan.machineId,
      sequence: scan.sequence,
      ts,
      tags: flattenTags(scan.tags),
    });
  }
  return out;
}

/**
 * Decides, for scans newly stored in this batch, which tag values to write (change beyond the
 * deadband, heartbeat, late scans) and what each machine row becomes. Pure: the engines run it
 * inside their transaction with the machine rows they locked.
 */
export function planWrites(
  scans: readonly NormalizedScan[],
  states: ReadonlyMap<string, MachineState>,
  catalog: readonly HistorianTag[],
  heartbeatMs: number,
): WritePlan {
  const byMachine = new Map<string, NormalizedScan[]>();
  for (const scan of scans) {
    const list = byMachine.get(scan.machineId);
    if (list) list.push(scan);
    else byMachine.set(scan.machineId, [scan]);
  }
  const samples: WritePlan['samples'] = [];
  const machines: MachineUpdate[] = [];
  for (const [machineId, list] of byMachine) {
    list.sort((a, b) => a.ts - b.ts || a.sequence - b.sequence);
    const state = states.get(machineId);
    const reference: MachineReference = { ...(state?.reference ?? {}) };
    let latest: NormalizedScan | undefined;
    let lastTs = state?.lastTs ?? null;
    for (const scan of list) {
      if (lastTs === null || scan.ts >= lastTs) {
        latest = scan;
        lastTs = scan.ts;
      }
      for (const tag of catalog) {
        const raw = scan.tags[tag.name];
        if (raw === undefined) continue;
        const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
        const ref = reference[tag.name];
        if (!mustStore(tag, value, scan.ts, ref, heartbeatMs)) continue;
        samples.push({ machineId, tag: tag.name, ts: scan.ts, value });
        if (ref === undefined || scan.ts > ref[1]) reference[tag.name] = [value, scan.ts];
      }
    }
    machines.push({ machineId, latest, reference });
  }
  return { samples, machines };
}
