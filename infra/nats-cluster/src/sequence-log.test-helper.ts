/**
 * What a subscriber received, by sequence number: duplicates (QoS 1 redelivery after a failover)
 * are counted and removed, gaps are what was lost, and each first arrival keeps its time.
 */
export interface SequenceLog {
  /** Records one arrival of `seq`. */
  add(seq: number, at?: number): void;
  /** Distinct sequence numbers received. */
  readonly distinct: number;
  /** Arrivals of a sequence number already received. */
  readonly duplicates: number;
  /** Sequence numbers in `0 … count-1` never received. */
  missing(count: number): number[];
  /** True when the first arrivals came in increasing order. */
  inOrder(): boolean;
  /** Time of the first arrival of `seq`, if any. */
  arrivedAt(seq: number): number | undefined;
}

/** A fresh {@link SequenceLog}. */
export function createSequenceLog(): SequenceLog {
  const firstArrival = new Map<number, number>();
  const order: number[] = [];
  let duplicates = 0;
  return {
    add(seq, at = performance.now()) {
      if (firstArrival.has(seq)) {
        duplicates++;
        return;
      }
      firstArrival.set(seq, at);
      order.push(seq);
    },
    get distinct() {
      return firstArrival.size;
    },
    get duplicates() {
      return duplicates;
    },
    missing(count) {
      const out: number[] = [];
      for (let seq = 0; seq < count; seq++) if (!firstArrival.has(seq)) out.push(seq);
      return out;
    },
    inOrder: () => order.every((seq, i) => i === 0 || seq > order[i - 1]!),
    arrivedAt: (seq) => firstArrival.get(seq),
  };
}
