import { spawn } from 'node:child_process';

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
  /** The first few KB of stdout and the last few KB of stderr, for diagnostics. */
  head(): string;
  stderr(): string;
  /** Exit code or signal once it has exited. */
  exit(): { code: number | null; signal: string | null } | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const NEWLINE = 10;

/** Spawns `command args` with `env` added to this process's environment and counts stdout lines. */
export function spawnCounted(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  marker?: string,
): CountedChild {
  const spawnedAt = performance.now();
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let first: number | undefined;
  let head = '';
  let err = '';
  let exit: { code: number | null; signal: string | null } | undefined;
  let markerAt: number | undefined;
  // The marker may straddle two chunks: keep the end of the previous one.
  let tail = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
  });
  child.stdout.on('data', (chunk: Buffer) => {
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
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4096);
  });
  return {
    pid: child.pid ?? -1,
    spawnedAt,
    lines: () => lines,
    firstOutputAt: () => first,
    markerAt: () => markerAt,
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
