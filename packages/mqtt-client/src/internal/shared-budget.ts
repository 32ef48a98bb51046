import type { OutboxEntry } from './outbox.js';

/** A client sharing a budget: can give up its oldest queued message when the budget is full. */
export interface BudgetMember {
  /** Drops the member's oldest message not yet written (the budget's oldest queued one). */
  evictOldestForBudget(): boolean;
}

/**
 * The process-wide byte budget behind {@link createOutboxBudget}: every outbox sharing it charges
 * each held message (`topic + payload bytes + perMessageBytes`) to it, and the clients' admission
 * evicts the oldest message not yet written of *any* member when it is full.
 *
 * Finding that message: every charged entry is appended to one FIFO in publish order. Within one
 * outbox, queued entries are in publish order too (in-flight ones are re-queued in front, still in
 * order), so the first FIFO entry that is neither settled nor in flight is the head of its owner's
 * queue — the owner's `evictOldest()` removes exactly it. Settled entries are skipped and the FIFO is
 * compacted when mostly dead, so the scan is amortised O(1) per message plus the messages in flight
 * at its front (bounded by the members' windows).
 */
export class SharedBudget {
  private entries: OutboxEntry[] = [];
  private owners: BudgetMember[] = [];
  private head = 0;
  private heldBytes = 0;
  private heldMessages = 0;

  constructor(
    readonly maxBytes: number,
    readonly perMessageBytes: number,
  ) {}

  get bytes(): number {
    return this.heldBytes;
  }
  get messages(): number {
    return this.heldMessages;
  }

  /** What holding `entry` costs. */
  cost(entry: OutboxEntry): number {
    return entry.bytes + this.perMessageBytes;
  }

  charge(entry: OutboxEntry, owner: BudgetMember): void {
    this.heldBytes += this.cost(entry);
    this.heldMessages++;
    this.entries.push(entry);
    this.owners.push(owner);
    const length = this.entries.length - this.head;
    if (length > 1024 && length > 2 * this.heldMessages) this.compact();
  }

  release(entry: OutboxEntry): void {
    this.heldBytes -= this.cost(entry);
    this.heldMessages--;
  }

  /** The member holding the oldest message not yet written, if any. */
  oldestQueuedOwner(): BudgetMember | undefined {
    const { entries } = this;
    while (this.head < entries.length && entries[this.head]!.settled) {
      entries[this.head] = undefined as unknown as OutboxEntry;
      this.owners[this.head] = undefined as unknown as BudgetMember;
      this.head++;
    }
    for (let i = this.head; i < entries.length; i++) {
      const entry = entries[i]!;
      if (!entry.settled && !entry.inFlight) return this.owners[i];
    }
    return undefined;
  }

  /** Drops the references to settled entries (acknowledged, dropped) from the FIFO. */
  private compact(): void {
    const entries: OutboxEntry[] = [];
    const owners: BudgetMember[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (entry.settled) continue;
      entries.push(entry);
      owners.push(this.owners[i]!);
    }
    this.entries = entries;
    this.owners = owners;
    this.head = 0;
  }
}
