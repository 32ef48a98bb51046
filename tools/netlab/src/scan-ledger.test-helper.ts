import type { SubMessage } from '@ot-mqtt/broker/testing';

/** One scan's data message as a subscriber on the IT side received it. */
export interface ReceivedScan {
  readonly machineId: string;
  readonly sequence: number;
  /** The agent's scan timestamp (ms since the epoch). */
  readonly scannedAt: number;
  /** When the IT subscriber received it (ms since the epoch, same host clock). */
  readonly receivedAt: number;
}

/**
 * Everything the IT side received, by machine and sequence: what arrived, what is missing between
 * a machine's first and last scan, and latencies. Fed incrementally from a growing message list.
 */
export class ScanLedger {
  readonly scans: ReceivedScan[] = [];
  private readonly sequences = new Map<string, Set<number>>();
  private consumed = 0;

  /** Takes the messages not seen yet (the list only grows). */
  update(messages: readonly SubMessage[]): this {
    for (; this.consumed < messages.length; this.consumed++) {
      const message = messages[this.consumed]!;
      try {
        const payload = JSON.parse(message.payload) as {
          machineId?: string;
          sequence?: number;
          timestamp?: string;
        };
        if (typeof payload.machineId !== 'string' || typeof payload.sequence !== 'number') continue;
        const scan = {
          machineId: payload.machineId,
          sequence: payload.sequence,
          scannedAt: Date.parse(payload.timestamp ?? ''),
          receivedAt: message.receivedAt,
        };
        this.scans.push(scan);
        let set = this.sequences.get(scan.machineId);
        if (!set) this.sequences.set(scan.machineId, (set = new Set()));
        set.add(scan.sequence);
      } catch {
        // not a scan
      }
    }
    return this;
  }

  /** Machines seen so far. */
  machines(): string[] {
    return [...this.sequences.keys()];
  }

  /** Highest sequence received per machine. */
  highest(machineId: string): number {
    return Math.max(-1, ...(this.sequences.get(machineId) ?? []));
  }

  /** Sequences missing between each machine's first and last received scan (`machine#seq`). */
  missing(): string[] {
    const out: string[] = [];
    for (const [machineId, set] of this.sequences) {
      const min = Math.min(...set);
      const max = Math.max(...set);
      for (let s = min; s <= max; s++) if (!set.has(s)) out.push(`${machineId}#${s}`);
    }
    return out;
  }

  /** Whether every machine in `machines` has a scan taken after `time`. */
  allScannedAfter(machines: readonly string[], time: number): boolean {
    const latest = new Map<string, number>();
    for (const s of this.scans)
      latest.set(s.machineId, Math.max(latest.get(s.machineId) ?? 0, s.scannedAt));
    return machines.every((m) => (latest.get(m) ?? 0) > time);
  }

  /** Latencies (ms, receive − scan) of scans taken in `[from, to)`. */
  latencies(from: number, to: number): number[] {
    return this.scans
      .filter((s) => s.scannedAt >= from && s.scannedAt < to)
      .map((s) => s.receivedAt - s.scannedAt)
      .sort((a, b) => a - b);
  }
}

/** The `p`-th percentile (0-100) of sorted values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
