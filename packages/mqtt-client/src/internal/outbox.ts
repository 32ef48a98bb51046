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
  /** Written and awaiting its acknowledgement (maintained by the {@link Outbox}). */
  inFlight: boolean;
  settled: boolean;
}

/** Something that keeps count of what an {@link Outbox} holds (a shared budget). */
export interface OutboxAccount {
  charge(entry: OutboxEntry): void;
  release(entry: OutboxEntry): void;
}

/**
 * FIFO of messages not yet written on the current connection, plus the FIFO of those written and
 * awaiting their acknowledgement. Every in-flight entry is older than every queued one (we send
 * strictly in order), so putting the in-flight ones back in front after a reconnect keeps publish
 * order. Both are arrays with a moving head rather than Sets: acknowledgements arrive (almost always)
 * in order, so this is O(1) per message without hashing each entry.
 */
export class Outbox {
  /**
   * @param account - told of every message that starts or stops being held (a budget shared with
   *   other outboxes), so it stays exact whichever way a message leaves
   */
  constructor(private readonly account?: OutboxAccount) {}

  private items: OutboxEntry[] = [];
  private head = 0;
  /** Entries written on this connection; those with `inFlight` false are settled holes. */
  private flight: OutboxEntry[] = [];
  private flightHead = 0;
  private flightCount = 0;
  private heldBytes = 0;

  get queued(): number {
    return this.items.length - this.head;
  }
  get inFlight(): number {
    return this.flightCount;
  }
  get depth(): number {
    return this.queued + this.flightCount;
  }
  get bytes(): number {
    return this.heldBytes;
  }

  push(entry: OutboxEntry): void {
    entry.inFlight = false;
    this.items.push(entry);
    this.heldBytes += entry.bytes;
    this.account?.charge(entry);
  }

  /** Moves the oldest queued entry to the in-flight FIFO and returns it. */
  takeNext(): OutboxEntry | undefined {
    const entry = this.shiftQueued();
    if (!entry) return undefined;
    entry.inFlight = true;
    this.flight.push(entry);
    this.flightCount++;
    return entry;
  }

  /** Removes an acknowledged (or rejected) in-flight entry. */
  complete(entry: OutboxEntry): boolean {
    if (!entry.inFlight) return false;
    entry.inFlight = false;
    this.flightCount--;
    this.heldBytes -= entry.bytes;
    this.account?.release(entry);
    this.skipSettled();
    return true;
  }

  /**
   * Removes and returns the oldest entry not yet written on this connection; never one in flight.
   * A message on the wire is the broker's to acknowledge: dropping it frees no socket memory, and it
   * used to free its window slot, so under overload every eviction let one more message be written
   * (the window bounded nothing) and every PUBACK arrived for a message already given up — nothing
   * was ever acknowledged (fleet benchmark stall at 5,000 machines). After a lost connection the
   * in-flight entries are queued again, so offline everything is evictable.
   */
  evictOldest(): OutboxEntry | undefined {
    const entry = this.shiftQueued();
    if (entry) {
      this.heldBytes -= entry.bytes;
      this.account?.release(entry);
    }
    return entry;
  }

  /**
   * After a lost connection: unacknowledged QoS 1 entries go back in front, in their original order,
   * to be written again. QoS 0 entries still in flight (handed to the socket, waiting for it to
   * drain) are removed and returned instead: QoS 0 is at most once, so it is never written twice
   * (MQTT-3.3.1-2 forbids DUP on QoS 0, and a second copy is a duplicate the receiver cannot detect).
   */
  requeueInFlight(): { readonly requeued: number; readonly cutOff: OutboxEntry[] } {
    if (this.flightCount === 0) return { requeued: 0, cutOff: [] };
    const resend: OutboxEntry[] = [];
    const cutOff: OutboxEntry[] = [];
    for (const entry of this.takeFlight()) {
      if (entry.qos === 0) {
        this.heldBytes -= entry.bytes;
        this.account?.release(entry);
        cutOff.push(entry);
      } else resend.push(entry);
    }
    if (resend.length > 0) {
      this.items = [...resend, ...this.items.slice(this.head)];
      this.head = 0;
    }
    return { requeued: resend.length, cutOff };
  }

  /** Removes and returns everything held. */
  drain(): OutboxEntry[] {
    const all = [...this.takeFlight(), ...this.items.slice(this.head)];
    this.items = [];
    this.head = 0;
    this.heldBytes = 0;
    if (this.account) for (const entry of all) this.account.release(entry);
    return all;
  }

  private shiftQueued(): OutboxEntry | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.items[this.head] = undefined as unknown as OutboxEntry;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Advances past settled entries at the front of the in-flight FIFO (and compacts it). */
  private skipSettled(): void {
    const flight = this.flight;
    let h = this.flightHead;
    while (h < flight.length && !flight[h]!.inFlight)
      flight[h++] = undefined as unknown as OutboxEntry;
    if (h === flight.length) {
      flight.length = 0;
      h = 0;
    } else if (h > 1024 && h * 2 > flight.length) {
      this.flight = flight.slice(h);
      h = 0;
    }
    this.flightHead = h;
  }

  /** The entries still in flight, oldest first, now marked as no longer in flight. */
  private takeFlight(): OutboxEntry[] {
    const pending: OutboxEntry[] = [];
    for (let i = this.flightHead; i < this.flight.length; i++) {
      const entry = this.flight[i]!;
      if (!entry.inFlight) continue;
      entry.inFlight = false;
      pending.push(entry);
    }
    this.flight = [];
    this.flightHead = 0;
    this.flightCount = 0;
    return pending;
  }
}
