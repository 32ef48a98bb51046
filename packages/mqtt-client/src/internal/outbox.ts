import type { PublishProperties } from '../mqtt-client.js';

/** One publish held by the client until the broker acknowledges it (or it is dropped). */
export interface OutboxEntry {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly properties: PublishProperties | undefined;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  /** Connection generation the entry was last written on (0 = never written). */
  sentOn: number;
  settled: boolean;
}

/**
 * FIFO of messages not yet written on the current connection, plus the set written and awaiting
 * their acknowledgement. Every in-flight entry is older than every queued one (we send strictly in
 * order), so putting the in-flight ones back in front after a reconnect keeps publish order.
 */
export class Outbox {
  private items: OutboxEntry[] = [];
  private head = 0;
  private readonly inflightSet = new Set<OutboxEntry>();
  private heldBytes = 0;

  get queued(): number {
    return this.items.length - this.head;
  }
  get inFlight(): number {
    return this.inflightSet.size;
  }
  get depth(): number {
    return this.queued + this.inflightSet.size;
  }
  get bytes(): number {
    return this.heldBytes;
  }

  push(entry: OutboxEntry): void {
    this.items.push(entry);
    this.heldBytes += entry.bytes;
  }

  /** Moves the oldest queued entry to the in-flight set and returns it. */
  takeNext(): OutboxEntry | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.items[this.head] = undefined as unknown as OutboxEntry;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (entry) this.inflightSet.add(entry);
    return entry;
  }

  /** Removes an acknowledged (or rejected) in-flight entry. */
  complete(entry: OutboxEntry): boolean {
    if (!this.inflightSet.delete(entry)) return false;
    this.heldBytes -= entry.bytes;
    return true;
  }

  /** Removes and returns the oldest held entry, in-flight first. */
  evictOldest(): OutboxEntry | undefined {
    const first = this.inflightSet.values().next();
    if (!first.done) {
      this.inflightSet.delete(first.value);
      this.heldBytes -= first.value.bytes;
      return first.value;
    }
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.items[this.head] = undefined as unknown as OutboxEntry;
    this.head++;
    if (entry) this.heldBytes -= entry.bytes;
    return entry;
  }

  /** After a lost connection: unacknowledged entries go back in front, in their original order. */
  requeueInFlight(): number {
    const count = this.inflightSet.size;
    if (count === 0) return 0;
    this.items = [...this.inflightSet, ...this.items.slice(this.head)];
    this.head = 0;
    this.inflightSet.clear();
    return count;
  }

  /** Removes and returns everything held. */
  drain(): OutboxEntry[] {
    const all = [...this.inflightSet, ...this.items.slice(this.head)];
    this.items = [];
    this.head = 0;
    this.inflightSet.clear();
    this.heldBytes = 0;
    return all;
  }
}
