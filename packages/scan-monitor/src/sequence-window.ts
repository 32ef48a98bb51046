/**
 * Which of the last {@link SEQUENCE_WINDOW} sequence numbers up to the newest have been seen, as a
 * sliding bitmap (the anti-replay window of IPsec, RFC 4303 §3.4.3): 128 bytes per machine instead
 * of a slot per number, so bounded tracking of many machines stays small.
 * @internal
 */
export interface SequenceWindow {
  /** The newest sequence number, or -1 before the first. */
  readonly newest: number;
  /** Whether `sequence` is inside the window and was seen. */
  has(sequence: number): boolean;
  /** Marks `sequence` seen; a number above the newest slides the window forward. */
  add(sequence: number): void;
  /** Starts over at `sequence` (a restart: earlier numbers no longer mean anything). */
  restart(sequence: number): void;
  /** Whether `sequence` is still inside the window (newer than newest − size). */
  covers(sequence: number): boolean;
}

/** Sequence numbers remembered behind the newest, for telling duplicates from late arrivals. */
export const SEQUENCE_WINDOW = 1024;

/** @internal */
export function createSequenceWindow(): SequenceWindow {
  const bits = new Uint32Array(SEQUENCE_WINDOW / 32);
  let newest = -1;
  const slot = (s: number) => s % SEQUENCE_WINDOW;
  const set = (s: number) => {
    const i = slot(s);
    bits[i >>> 5]! |= 1 << (i & 31);
  };
  const clear = (s: number) => {
    const i = slot(s);
    bits[i >>> 5]! &= ~(1 << (i & 31));
  };
  const covers = (s: number) => newest >= 0 && s <= newest && s > newest - SEQUENCE_WINDOW;
  return {
    get newest() {
      return newest;
    },
    covers,
    has(s) {
      if (!covers(s)) return false;
      const i = slot(s);
      return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
    },
    add(s) {
      if (s > newest) {
        if (newest < 0 || s - newest >= SEQUENCE_WINDOW) bits.fill(0);
        else for (let k = newest + 1; k < s; k++) clear(k);
        newest = s;
      } else if (!covers(s)) return;
      set(s);
    },
    restart(s) {
      bits.fill(0);
      newest = s;
      set(s);
    },
  };
}
