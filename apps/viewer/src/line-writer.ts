import type { Writable } from 'node:stream';

/** Buffers lines and writes them in batches. */
export interface LineWriter {
  /** Queues one line (a trailing newline is added). */
  write(line: string): void;
  /** Writes what is queued now and resolves once the stream has taken it. */
  flush(): Promise<void>;
}

// Above this many queued characters the batch is written at once instead of on the next turn.
const BATCH_CHARS = 64 * 1024;

/**
 * Batches lines into few large `write` calls: at thousands of messages per second one syscall per
 * line would cost more than decoding them. Lines are written on the next turn of the event loop (or
 * sooner when the batch is large), in order.
 */
export function createLineWriter(stream: Writable): LineWriter {
  let pending: string[] = [];
  let size = 0;
  let scheduled = false;
  const drain = (): boolean => {
    scheduled = false;
    if (pending.length === 0) return true;
    const text = pending.join('\n') + '\n';
    pending = [];
    size = 0;
    return stream.write(text);
  };
  return {
    write(line) {
      pending.push(line);
      size += line.length;
      if (size >= BATCH_CHARS) drain();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    },
    flush() {
      return new Promise<void>((resolve) => {
        if (drain()) resolve();
        else stream.once('drain', () => resolve());
      });
    },
  };
}
