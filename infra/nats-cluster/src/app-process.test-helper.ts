import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The apps the cluster tests run. */
export type App = 'agent' | 'viewer' | 'gateway';

/** The built entry point of an app (`npx nx run <app>:build` first). */
export const appMain = (app: App): string => resolve(ROOT, 'apps', app, 'dist', 'main.js');

/** A built app running as a child process, with its output kept line by line. */
export interface AppProcess {
  readonly pid: number;
  /** Every stdout line so far. */
  readonly stdout: readonly string[];
  /** Every stderr line so far (warnings and errors). */
  readonly stderr: readonly string[];
  /** SIGTERM (the app's graceful shutdown) and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `node apps/<app>/dist/main.js` with `env` added to ours (`NO_COLOR` set). */
export function startApp(
  app: App,
  env: Record<string, string>,
  args: readonly string[] = [],
): AppProcess {
  const child = spawn(process.execPath, [appMain(app), ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (stream: NodeJS.ReadableStream, into: string[]) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      into.push(...lines);
    });
  };
  collect(child.stdout!, stdout);
  collect(child.stderr!, stderr);
  const exited = new Promise<number | null>((resolvePromise) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolvePromise(code);
    }),
  );
  return {
    pid: child.pid!,
    stdout,
    stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
