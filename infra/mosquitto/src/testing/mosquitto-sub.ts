import { spawn, type ChildProcess } from 'node:child_process';
import { collectLines } from './collect-lines.js';
import { mosquittoClientArgs, type MosquittoClientOptions } from './mosquitto-cli-args.js';

/** Options of {@link startMosquittoSub}. */
export interface MosquittoSubOptions extends MosquittoClientOptions {
  /** Topic filters (`-t`), one SUBSCRIBE each. */
  readonly topics: readonly string[];
  /** Requested QoS (default 1). */
  readonly qos?: 0 | 1 | 2;
  /** Persistent session: `-c` (needs `clientId`), with this session expiry in seconds for MQTT 5. */
  readonly persistentSessionSeconds?: number;
  /** Extra raw arguments, e.g. `['--retained-only']`. */
  readonly args?: readonly string[];
  /** How long to wait for the SUBACKs (default 15 s). */
  readonly readyTimeoutMs?: number;
  /** Run it inside this network namespace (`ip netns exec`, root; tools/netlab). */
  readonly netns?: string;
}

/** One message as the subscriber printed it. */
export interface SubMessage {
  readonly topic: string;
  readonly qos: number;
  readonly retain: boolean;
  /** Payload as text (`mosquitto_sub -F %j` escapes it into JSON). */
  readonly payload: string;
  /** When mosquitto_sub received it (its own clock, ms since the epoch, µs precision). */
  readonly receivedAt: number;
}

/** A running `mosquitto_sub`. */
export interface MosquittoSub {
  /** Process id (ended with `stop()`; every one left is SIGKILLed when the test process exits). */
  readonly pid: number;
  /** Granted QoS per topic filter from the SUBACK, in `topics` order (128 = refused). */
  readonly granted: readonly number[];
  /** Messages received so far, in arrival order. */
  messages(): SubMessage[];
  /** Messages received so far whose topic is `topic`. */
  messagesOn(topic: string): SubMessage[];
  /** Everything it wrote to stdout and stderr (debug lines included), for failure messages. */
  output(): string;
  /** Whether the process still runs (a refused connection ends it). */
  alive(): boolean;
  /** Resolves with its exit code (or signal) once it has ended. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM (by pid), SIGKILL after 5 s, and wait for the exit. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `mosquitto_sub` — the third-party subscriber an integrator would point at the broker —
 * and resolves once the broker has acknowledged every subscription (so nothing published
 * afterwards can be missed), or rejects with the tool's own words if it cannot connect.
 *
 * Readiness comes from the tool's debug output (`-d`: "Subscribed (mid: 1): 1"). mosquitto_sub
 * flushes each message line but not its debug lines when stdout is a pipe, so it runs under
 * `stdbuf -oL` (coreutils) to make them observable the moment they happen.
 *
 * @example
 * ```ts
 * const sub = await startMosquittoSub({ url: broker.url, topics: ['plc/bottlefiller/#'] });
 * await expect.poll(() => sub.messages().length).toBeGreaterThanOrEqual(7);
 * await sub.stop();
 * ```
 */
export async function startMosquittoSub(options: MosquittoSubOptions): Promise<MosquittoSub> {
  if (options.topics.length === 0) throw new Error('startMosquittoSub: no topics');
  const args = [
    ...['-oL', 'mosquitto_sub', '-d', '-F', '%j'],
    ...mosquittoClientArgs(options),
    ...options.topics.flatMap((t) => ['-t', t]),
    ...['-q', String(options.qos ?? 1)],
    ...(options.persistentSessionSeconds === undefined
      ? []
      : [
          '-c',
          ...(options.protocol === 3 ? [] : ['-x', String(options.persistentSessionSeconds)]),
        ]),
    ...(options.args ?? []),
  ];
  const child = options.netns
    ? spawn('ip', ['netns', 'exec', options.netns, 'stdbuf', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn('stdbuf', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines: string[] = [];
  const messages: SubMessage[] = [];
  const granted: number[] = [];
  let onLine = (): void => undefined;
  collectLines(child.stdout, (line) => {
    lines.push(line);
    const message = parseMessage(line);
    if (message) messages.push(message);
    const subscribed = /^Subscribed \(mid: \d+\): (.*)$/.exec(line);
    if (subscribed?.[1]) granted.push(...subscribed[1].split(', ').map(Number));
    onLine();
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  const output = () => [...lines, stderr].filter((s) => s !== '').join('\n');
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (alive()) child.kill('SIGTERM');
    // mosquitto_sub answers SIGTERM with a DISCONNECT and waits to send it: on a link that went
    // silent (tools/netlab) it never exits by itself.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const timeoutMs = options.readyTimeoutMs ?? 15_000;
  const ready = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(`no SUBACK within ${timeoutMs} ms`), timeoutMs);
    onLine = () => {
      if (granted.length < options.topics.length) return;
      clearTimeout(timer);
      resolve(undefined);
    };
    void exited.then((code) => {
      clearTimeout(timer);
      resolve(`it exited (${code})`);
    });
  });
  onLine = () => undefined;
  if (ready !== undefined) {
    await stop();
    throw new Error(
      `mosquitto_sub ${options.topics.join(' ')} on ${options.url}: ${ready}\n${output()}`,
    );
  }
  return {
    pid: child.pid ?? -1,
    granted,
    messages: () => [...messages],
    messagesOn: (topic) => messages.filter((m) => m.topic === topic),
    output,
    alive,
    exited,
    stop,
  };
}

function parseMessage(line: string): SubMessage | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const json = JSON.parse(line) as {
      tst?: unknown;
      topic?: unknown;
      qos?: unknown;
      retain?: unknown;
      payload?: unknown;
    };
    if (typeof json.topic !== 'string') return undefined;
    return {
      topic: json.topic,
      qos: Number(json.qos),
      retain: json.retain === 1 || json.retain === true,
      payload:
        typeof json.payload === 'string' ? json.payload : JSON.stringify(json.payload ?? null),
      receivedAt: parseTst(json.tst),
    };
  } catch {
    return undefined;
  }
}

/** mosquitto_sub's `"tst":"2026-11-30T07:39:07.165313Z+0000"` → ms since the epoch (µs kept). */
function parseTst(tst: unknown): number {
  if (typeof tst !== 'string') return Number.NaN;
  const match = /^(.+T\d\d:\d\d:\d\d)(?:\.(\d+))?Z/.exec(tst);
  if (!match) return Number.NaN;
  const fraction = Number(`0.${match[2] ?? '0'}`);
  return Date.parse(`${match[1]}Z`) + fraction * 1000;
}
