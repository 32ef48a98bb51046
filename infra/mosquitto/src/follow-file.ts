import { open } from 'node:fs/promises';

/** A running {@link followFile}. */
export interface FileFollower {
  /** Stops following (reads what is left first). */
  stop(): Promise<void>;
}

/**
 * Calls `onLine` for every line appended to `path` from now on, like `tail -f`: Mosquitto writes
 * its log to a file (stdout is not ours when it runs as a child), and `npx nx serve broker` shows
 * it live. Polls every `intervalMs` (default 200 ms); a missing file is waited for.
 *
 * @example
 * ```ts
 * const follower = await followFile(broker.logFile, (line) => console.log(line));
 * await follower.stop();
 * ```
 */
export async function followFile(
  path: string,
  onLine: (line: string) => void,
  intervalMs = 200,
): Promise<FileFollower> {
  let position = await sizeOf(path);
  let partial = '';
  let reading: Promise<void> = Promise.resolve();
  const read = async () => {
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size < position) position = 0; // truncated or replaced: start over
      if (size === position) return;
      const buffer = Buffer.alloc(size - position);
      await handle.read(buffer, 0, buffer.length, position);
      position = size;
      const lines = (partial + buffer.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    } finally {
      await handle.close();
    }
  };
  const timer = setInterval(() => {
    reading = reading.then(read, read);
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await reading.then(read, read).catch(() => undefined);
    },
  };
}

async function sizeOf(path: string): Promise<number> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return 0;
  try {
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}
