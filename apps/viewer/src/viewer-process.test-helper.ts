import { brokerTest, collectLines } from '@ot-mqtt/broker/testing';
import { connectAsync } from 'mqtt';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

/** The built viewer: integration tests run what `npx nx serve viewer` runs. */
export const VIEWER_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Fails early with the command that fixes it, instead of a confusing spawn error. */
export function assertBuilt(): void {
  if (!existsSync(VIEWER_MAIN))
    throw new Error(`${VIEWER_MAIN} is missing: run \`npx nx build viewer\` first`);
}

/** `vi.waitFor` until `predicate` holds, or rejects naming `what` after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  await vi.waitFor(
    () => {
      if (!predicate()) throw new Error(`still waiting: ${what()}`);
    },
    { timeout: timeoutMs, interval: 25 },
  );
}

/** A running viewer process with its output split into lines. */
export interface ViewerProcess {
  /** The child process. */
  readonly child: ChildProcess;
  /** stdout lines so far. */
  readonly stdout: string[];
  /** stderr lines so far. */
  readonly stderr: string[];
  /** stdout lines parsed as JSON (NDJSON mode). */
  records(): Record<string, unknown>[];
  /** stderr lines parsed as JSON (NDJSON mode events). */
  events(): Record<string, unknown>[];
  /** Waits for a stdout record (NDJSON) matching `predicate`; resolves with it. */
  waitForRecord(
    predicate: (r: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Waits for a stderr event (NDJSON) matching `predicate`; resolves with it. */
  waitForEvent(
    predicate: (e: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Waits for a stdout line containing `text`. */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (then SIGKILL after a while) and wait for exit. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const parseLines = (lines: readonly string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

/** Starts the built viewer with `env` (added to a clean environment) and `args`. */
export function startViewer(env: Record<string, string>, args: string[] = []): ViewerProcess {
  assertBuilt();
  const child = spawn(process.execPath, [VIEWER_MAIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, (line) => stdout.push(line));
  collectLines(child.stderr, (line) => stderr.push(line));
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      running.delete(child);
      res(code);
    }),
  );
  const dump = () => `\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`;
  const waitForIn = async (
    source: () => Record<string, unknown>[],
    predicate: (r: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs = 20_000,
  ) => {
    let found: Record<string, unknown> | undefined;
    await waitFor(
      () => (found = source().find(predicate)) !== undefined,
      timeoutMs,
      () => `${what}${dump()}`,
    );
    return found!;
  };
  return {
    child,
    stdout,
    stderr,
    records: () => parseLines(stdout),
    events: () => parseLines(stderr),
    waitForRecord: (p, what, t) => waitForIn(() => parseLines(stdout), p, what, t),
    waitForEvent: (p, what, t) => waitForIn(() => parseLines(stderr), p, what, t),
    waitForText: (text, t = 20_000) =>
      waitFor(
        () => stdout.some((l) => l.includes(text)),
        t,
        () => `stdout line containing ${JSON.stringify(text)}${dump()}`,
      ),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}

/** The broker fixtures plus `publisher`: one raw mqtt.js client on the file's broker, for the scans a test sends. */
export const viewerTest = brokerTest.extend(
  'publisher',
  { scope: 'file' },
  async ({ broker }, { onCleanup }) => {
    const publisher = await connectAsync(broker.url, { clientId: 'viewer-spec-publisher' });
    onCleanup(() => publisher.endAsync());
    return publisher;
  },
);
