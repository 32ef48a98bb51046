import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** What a probed child reports about itself. */
export interface ChildUsage {
  /** CPU time (user + system) since it started, in µs: `process.cpuUsage()`, not /proc's 10 ms ticks. */
  readonly cpuUs: number;
  /** Resident memory now, in MB. */
  readonly rssMb: number;
  /** V8 heap in use now (live objects and not yet collected garbage), in MB. */
  readonly heapUsedMb: number;
}

/** A Node child that reports its own CPU time and RSS on request ({@link spawnProbed}). */
export interface ProbedChild {
  readonly pid: number;
  /**
   * Asks the child for its {@link ChildUsage} (rejects if it does not answer within 30 s);
   * `afterGc`: after two full garbage collections in the child (its memory retained).
   */
  usage(afterGc?: boolean): Promise<ChildUsage>;
  /** The last few KB of its stderr, for diagnostics. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

// Loaded into the child with --import, before its own code: says `ready` on fd 3 once its handler
// is in place (a SIGUSR2 before that would kill the child, and a loaded machine can take seconds to
// get there), then on each SIGUSR2 writes "<cpu µs> <rss bytes> <heap used bytes>". /proc's utime +
// stime count 10 ms ticks, too coarse for an agent that uses a few hundred ms in a whole window; the
// child's own counter is exact to the µs. SIGWINCH (ignored by default, so harmless before the
// handler) first runs two full garbage collections, then reports the same line: what the process
// retains, without its heap's sawtooth of not yet collected garbage.
const PROBE = `import { writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
const report = () => {
  const { user, system } = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  writeSync(3, user + system + ' ' + rss + ' ' + heapUsed + '\\n');
};
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
process.on('SIGUSR2', report);
process.on('SIGWINCH', () => { gc(); gc(); report(); });
writeSync(3, 'ready\\n');`;

const timeout = (message: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), 30_000).unref());

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
  let ready = (): void => undefined;
  const probeReady = new Promise<void>((resolve) => (ready = resolve));
  // The first line is the probe's `ready`; each later one answers one usage() in order.
  const waiting: Array<(line: string) => void> = [() => ready()];
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
    usage: async (afterGc = false) => {
      await Promise.race([probeReady, timeout(`pid ${child.pid}: the usage probe never started`)]);
      const report = new Promise<ChildUsage>((resolve) => {
        waiting.push((line) => {
          const [cpu, rss, heap] = line.split(' ').map(Number);
          resolve({ cpuUs: cpu!, rssMb: rss! / 1024 / 1024, heapUsedMb: heap! / 1024 / 1024 });
        });
        child.kill(afterGc ? 'SIGWINCH' : 'SIGUSR2');
      });
      return Promise.race([report, timeout(`pid ${child.pid}: no usage report`)]);
    },
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
