import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { vi } from 'vitest';
import { collectLines } from './testing/collect-lines.js';

/** A child process whose output is collected line by line, for assertions. */
export interface WatchedProcess {
  readonly child: ChildProcess;
  /** stdout and stderr lines so far, in arrival order. */
  readonly lines: string[];
  /** Resolves with the first line matching `pattern` (waits up to `timeoutMs`). */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exit(timeoutMs?: number): Promise<number | string>;
}

const started = new Map<ChildProcess, { group: boolean }>();

/** Starts `command` and collects its output. End every one with {@link killAll} in `afterEach`. */
export function watch(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): WatchedProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  started.set(child, { group: options.detached === true });
  const lines: string[] = [];
  let exitResult: number | string | undefined;
  child.once('exit', (code, signal) => {
    exitResult = code ?? signal ?? -1;
    started.delete(child);
  });
  for (const stream of [child.stdout, child.stderr])
    collectLines(stream, (line) => lines.push(line));
  return {
    child,
    lines,
    async line(pattern, timeoutMs = 20_000) {
      await vi
        .waitFor(
          () => {
            if (!lines.some((l) => pattern.test(l))) throw new Error(`no line matching ${pattern}`);
          },
          { timeout: timeoutMs, interval: 20 },
        )
        .catch((error: Error) => {
          throw new Error(`${error.message}\n--- output so far:\n${lines.join('\n')}`);
        });
      return lines.find((l) => pattern.test(l)) ?? '';
    },
    async exit(timeoutMs = 20_000) {
      await vi.waitFor(
        () => {
          if (exitResult === undefined) throw new Error(`${command} ${args.join(' ')} still runs`);
        },
        { timeout: timeoutMs, interval: 20 },
      );
      return exitResult ?? -1;
    },
  };
}

/** SIGKILLs whatever {@link watch} started and is still running (a failed test's leftovers). */
export function killAll(): void {
  for (const [child, { group }] of started) {
    if (child.pid !== undefined) {
      try {
        // Detached children lead their own process group: end the whole group.
        process.kill(group ? -child.pid : child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  started.clear();
}

/** True while a process with this id exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
