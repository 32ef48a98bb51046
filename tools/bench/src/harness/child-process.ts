import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A child process whose stdout lines are counted (cheaply, without decoding). */
export interface CountedChild {
  readonly pid: number;
  /** `performance.now()` when it was spawned. */
  readonly spawnedAt: number;
  /** Lines written to stdout so far. */
  lines(): number;
  /** `performance.now()` of the first stdout byte, if any. */
  firstOutputAt(): number | undefined;
  /** `performance.now()` when `marker` first appeared on stdout, if it has. */
  markerAt(): number | undefined;
  /** Lines counted up to the end of the chunk in which `marker` first appeared, if it has. */
  linesAtMarker(): number | undefined;
  /** The first few KB of stdout and the last few KB of stderr, for diagnostics. */
  head(): string;
  stderr(): string;
  /** Exit code or signal once it has exited. */
  exit(): { code: number | null; signal: string | null } | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const NEWLINE = 10;

/** How the child's stdout reaches the counter. */
export type StdoutSink =
  /** A pipe: the child's writes wait for (or, in a viewer, drop for) this process's reads. */
  | 'pipe'
  /**
   * A temporary file, read back every millisecond: the child writes at its own pace whatever this
   * process is doing, as with `app > out.ndjson`; times are then known to about a millisecond.
   */
  | 'file';

/** Spawns `command args` with `env` added to this process's environment and counts stdout lines. */
export function spawnCounted(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  marker?: string,
  sink: StdoutSink = 'pipe',
): CountedChild {
  const spawnedAt = performance.now();
  const file =
    sink === 'file'
      ? join(tmpdir(), `bench-stdout-${process.pid}-${Math.random().toString(36).slice(2)}`)
      : undefined;
  const writeFd = file === undefined ? undefined : openSync(file, 'w');
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', writeFd ?? 'pipe', 'pipe'],
  });
  if (writeFd !== undefined) closeSync(writeFd);
  let lines = 0;
  let first: number | undefined;
  let head = '';
  let err = '';
  let exit: { code: number | null; signal: string | null } | undefined;
  let markerAt: number | undefined;
  let linesAtMarker: number | undefined;
  // The marker may straddle two chunks: keep the end of the previous one.
  let tail = '';
  const onData = (chunk: Buffer) => {
    first ??= performance.now();
    if (head.length < 4096) head += chunk.subarray(0, 4096 - head.length).toString();
    if (marker !== undefined && markerAt === undefined) {
      const text = tail + chunk.toString('latin1');
      if (text.includes(marker)) markerAt = performance.now();
      tail = text.slice(-marker.length);
    }
    let at = chunk.indexOf(NEWLINE);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(NEWLINE, at + 1);
    }
    if (markerAt !== undefined) linesAtMarker ??= lines;
  };
  const readBack = (() => {
    if (file === undefined) {
      child.stdout?.on('data', onData);
      return () => undefined;
    }
    const readFd = openSync(file, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let offset = 0;
    const read = () => {
      for (;;) {
        const n = readSync(readFd, buffer, 0, buffer.length, offset);
        if (n === 0) return;
        offset += n;
        onData(buffer.subarray(0, n));
      }
    };
    const poll = setInterval(read, 1);
    return () => {
      clearInterval(poll);
      read();
      closeSync(readFd);
      rmSync(file, { force: true });
    };
  })();
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // What the file still holds after the child's last write.
      readBack();
      resolve();
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4096);
  });
  return {
    pid: child.pid ?? -1,
    spawnedAt,
    lines: () => lines,
    firstOutputAt: () => first,
    markerAt: () => markerAt,
    linesAtMarker: () => linesAtMarker,
    head: () => head,
    stderr: () => err,
    exit: () => exit,
    async stop(graceMs = 3000) {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
