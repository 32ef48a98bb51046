import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** What a probed child reports about itself. */
export interface ChildUsage {
  /** CPU time (user + system) since it started, in µs: `process.cpuUsage()`, not /proc's 10 ms ticks. */
  readonly cpuUs: number;
  /** Resident memory now, in MB. */
  readonly rssMb: number;
}

/** A Node child that reports its own CPU time and RSS on request ({@link spawnProbed}). */
export interface ProbedChild {
  readonly pid: number;
  /** Asks the child for its {@link ChildUsage} (rejects if it does not answer within 5 s). */
  usage(): Promise<ChildUsage>;
  /** The last few KB of its stderr, for diagnostics. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

// Loaded into the child with --import, before its own code: on SIGUSR2 it writes
// "<cpu µs> <rss bytes>" to fd 3. /proc's utime + stime count 10 ms ticks, too coarse for an agent
// that uses a few hundred ms in a whole window; the child's own counter is exact to the µs.
const PROBE = `import { writeSync } from 'node:fs';
process.on('SIGUSR2', () => {
  const { user, system } = process.cpuUsage();
  writeSync(3, user + system + ' ' + process.memoryUsage.rss() + '\\n');
});`;

/** Runs `node <script>` with `env` added, the usage probe preloaded, stdout ignored. */
export function spawnProbed(script: string, env: Readonly<Record<string, string>>): ProbedChild {
  const child = spawn(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(PROBE)}`, script],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting: Array<(line: string) => void> = [];
  let buffered = '';
  (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let at = buffered.indexOf('\n'); at !== -1; at = buffered.indexOf('\n')) {
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      waiting.shift()?.(line);
    }
  });
  return {
    pid: child.pid ?? -1,
    usage: () =>
      new Promise<ChildUsage>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`pid ${child.pid}: no usage report`)),
          5000,
        );
        waiting.push((line) => {
          clearTimeout(timer);
          const [cpu, rss] = line.split(' ').map(Number);
          resolve({ cpuUs: cpu!, rssMb: rss! / 1024 / 1024 });
        });
        child.kill('SIGUSR2');
      }),
    stderr: () => err,
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
