import { collectLines } from '@ot-mqtt/broker/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository (this file is tools/e2e/src/…). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The built apps: the e2e suite runs exactly what `npx nx serve agent|viewer` runs. */
export const AGENT_MAIN = resolve(ROOT, 'apps', 'agent', 'dist', 'main.js');
export const VIEWER_MAIN = resolve(ROOT, 'apps', 'viewer', 'dist', 'main.js');

/** Fails at once with the command that fixes it, instead of a confusing spawn error later. */
export function assertBuilt(): void {
  for (const main of [AGENT_MAIN, VIEWER_MAIN])
    if (!existsSync(main))
      throw new Error(`${main} is missing: run \`npx nx run-many -t build\` first`);
}

/** A child process whose stdout and stderr are collected line by line as they stream. */
export interface Running {
  /** Name used in failure messages (`agent`, `viewer`, `mosquitto_sub`…). */
  readonly name: string;
  /** The child process. */
  readonly child: ChildProcess;
  /** Process id, to check it is gone. */
  readonly pid: number;
  /** Complete stdout lines so far. */
  readonly stdout: string[];
  /** Complete stderr lines so far. */
  readonly stderr: string[];
  /** Resolves with the exit code, or the signal name if a signal ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Both streams, for failure messages. */
  dump(): string;
  /** Waits for the exit, SIGKILLing the process if it has not exited within `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | NodeJS.Signals>;
  /** SIGTERM, then SIGKILL if it has not exited after `timeoutMs`; resolves with the exit. */
  stop(timeoutMs?: number): Promise<number | NodeJS.Signals>;
}

const children = new Set<Running>();
// Should vitest itself be torn down mid-test, leave no app or mosquitto_sub behind.
process.once('exit', () => {
  for (const c of children) c.child.kill('SIGKILL');
});

/** SIGKILLs every child started by {@link run} that is still running (for afterEach). */
export async function killAll(): Promise<void> {
  const all = [...children];
  children.clear();
  for (const c of all) if (c.alive()) c.child.kill('SIGKILL');
  await Promise.all(all.map((c) => c.exited));
}

/**
 * Starts `command` with exactly `env` plus PATH, so a developer's own MQTT_* variables cannot leak
 * into a test. `detached` gives it its own process group, like a terminal's foreground job.
 */
export function run(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; detached?: boolean } = {},
): Running {
  const child = spawn(command, args, {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, (line) => stdout.push(line));
  collectLines(child.stderr, (line) => stderr.push(line));
  let done = false;
  const exited = new Promise<number | NodeJS.Signals>((res) => {
    // 'close' (not 'exit') so every line is collected before anyone looks at the output.
    child.once('close', (code, signal) => {
      done = true;
      res(code ?? signal ?? -1);
    });
    child.once('error', () => {
      done = true;
      res(-1);
    });
  });
  const alive = () => !done && child.exitCode === null && child.signalCode === null;
  const dump = () =>
    `\n--- ${name} stdout:\n${stdout.slice(-60).join('\n')}\n--- ${name} stderr:\n${stderr.slice(-60).join('\n')}`;
  const exit = async (timeoutMs: number) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const running: Running = {
    name,
    child,
    pid: child.pid ?? -1,
    stdout,
    stderr,
    exited,
    alive,
    dump,
    exit,
    async stop(timeoutMs = 15_000) {
      if (alive()) child.kill('SIGTERM');
      return exit(timeoutMs);
    },
  };
  children.add(running);
  return running;
}

/** The built agent (`node apps/agent/dist/main.js`). */
export const startAgent = (env: Record<string, string>, args: readonly string[] = []): Running =>
  startBuilt('agent', AGENT_MAIN, env, args);

/** The built viewer (`node apps/viewer/dist/main.js`). */
export const startViewer = (env: Record<string, string>, args: readonly string[] = []): Running =>
  startBuilt('viewer', VIEWER_MAIN, env, args);

/** `node <main> …args`, failing first with the command that fixes it when the apps are not built. */
function startBuilt(
  name: string,
  main: string,
  env: Record<string, string>,
  args: readonly string[],
): Running {
  assertBuilt();
  return run(name, process.execPath, [main, ...args], env);
}

/** Lines parsed as JSON objects; other lines are skipped. */
export function jsonLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Whether a process with this id still exists (signal 0 only checks). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws (with their output) if any of `processes` has ended: called inside a `vi.waitFor`
 * callback it turns a crashed app into an immediate, explained failure instead of a timeout.
 */
export function assertAlive(...processes: readonly Running[]): void {
  const dead = processes.filter((p) => !p.alive());
  if (dead.length > 0)
    throw new Error(
      `${dead.map((p) => p.name).join(', ')} ended unexpectedly${dead.map((p) => p.dump()).join('')}`,
    );
}
