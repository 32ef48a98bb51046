import { spawn } from 'node:child_process';

/** What a finished command printed and how it exited. */
export interface RunResult {
  /** Exit code, or `null` when a signal (e.g. the timeout) ended it. */
  readonly code: number | null;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
  /** The command line, for failure messages. */
  readonly command: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Working directory. */
  readonly cwd: string;
  /** Kill the command after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

// npm exports its workspace selection to child processes when a script runs under `npm test`; an
// `npm install` in the fresh consumer project must not inherit it and go looking for workspaces.
const INHERITED_NPM_KEYS = /^npm_config_(workspaces?|include_workspace_root)$/iu;

function childEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!INHERITED_NPM_KEYS.test(key)) env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/**
 * Runs a command to completion without a shell and never rejects: the caller asserts on the exit
 * code and shows the output when it is wrong.
 *
 * @example
 * ```ts
 * const result = await run('npm', ['pack', '--json'], { cwd: 'packages/tag-model' });
 * if (result.code !== 0) throw new Error(describeFailure(result));
 * ```
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const line = [command, ...args].join(' ');
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}`, command: line });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, command: line });
    });
  });
}

/**
 * A readable failure message: the command, its exit code and the tail of its output.
 *
 * @example
 * ```ts
 * expect(result.code, describeFailure(result)).toBe(0);
 * ```
 */
export function describeFailure(result: RunResult): string {
  const tail = (text: string) => text.trim().split('\n').slice(-40).join('\n');
  return `\`${result.command}\` exited with ${result.code}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}
