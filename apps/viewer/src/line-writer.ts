import type { Writable } from 'node:stream';

/** Buffers lines and writes them in batches, dropping what a stalled reader cannot take. */
export interface LineWriter {
  /**
   * Queues one line (a trailing newline is added). Returns `false` when the line was dropped
   * because the stream already holds `maxBufferedBytes` that its reader has not taken.
   */
  write(line: string): boolean;
  /** Writes one line even when the buffer is full (a short notice, e.g. how many were dropped). */
  writeAlways(line: string): void;
  /** Writes what is queued now and resolves once the stream has taken it. */
  flush(): Promise<void>;
  /** Lines dropped so far. */
  readonly dropped: number;
  /** Lines dropped since the last call (or `onCaughtUp`), resetting that count. */
  takeUnreported(): number;
}

/** Options of {@link createLineWriter}. */
export interface LineWriterOptions {
  /**
   * Most characters held for a reader that does not keep up (queued here plus buffered in the
   * stream); further lines are dropped (default: 4 MiB).
   */
  readonly maxBufferedBytes?: number;
  /** Called when the reader caught up after lines were dropped, with how many since the last call. */
  readonly onCaughtUp?: (dropped: number) => void;
}

// Above this many queued characters the batch is written at once instead of on the next turn.
const BATCH_CHARS = 64 * 1024;

/**
 * Batches lines into few large `write` calls: at thousands of messages per second one syscall per
 * line would cost more than decoding them. Lines are written on the next turn of the event loop (or
 * sooner when the batch is large), in order.
 *
 * Backpressure: a viewer must keep its MQTT connection and its tracking alive whatever its reader
 * does, so when stdout's reader stalls (`viewer --ndjson | slow-consumer`) display lines are
 * dropped, not buffered without bound and not by stopping to read from the broker (which would
 * stall keep-alives and make the broker queue or drop instead). Memory stays at
 * `maxBufferedBytes`; the count is reported through `onCaughtUp` once the reader catches up.
 */
export function createLineWriter(stream: Writable, options: LineWriterOptions = {}): LineWriter {
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  let pending: string[] = [];
  let size = 0;
  let scheduled = false;
  let dropped = 0;
  let unreported = 0;
  const drain = (): boolean => {
    scheduled = false;
    if (pending.length === 0) return true;
    const text = pending.join('\n') + '\n';
    pending = [];
    size = 0;
    return stream.write(text);
  };
  stream.on('drain', () => {
    if (unreported === 0) return;
    const count = unreported;
    unreported = 0;
    options.onCaughtUp?.(count);
  });
  const queue = (line: string) => {
    pending.push(line);
    size += line.length + 1;
    if (size >= BATCH_CHARS) drain();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  };
  return {
    write(line) {
      if (stream.writableLength + size + line.length > maxBuffered) {
        dropped++;
        unreported++;
        return false;
      }
      queue(line);
      return true;
    },
    writeAlways: queue,
    flush() {
      return new Promise<void>((resolve) => {
        if (drain()) resolve();
        else stream.once('drain', () => resolve());
      });
    },
    get dropped() {
      return dropped;
    },
    takeUnreported() {
      const count = unreported;
      unreported = 0;
      return count;
    },
  };
}
