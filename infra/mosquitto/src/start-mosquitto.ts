import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdtemp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adaptConfig, resolveConfigPath } from './adapt-config.js';
import { findExecutable } from './find-executable.js';
import { freePort } from './free-port.js';
import { parseListeners, schemeOf, type ListenerInfo } from './listeners.js';
import { waitForPort } from './wait-for-port.js';

/** The project's configuration folder (`infra/mosquitto/config`). */
export const CONFIG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'config');

/** Where the Mosquitto binary is looked for, in order (override with `MOSQUITTO_BIN`). */
export const MOSQUITTO_CANDIDATES = [
  '/usr/sbin/mosquitto',
  '/usr/local/sbin/mosquitto',
  '/usr/bin/mosquitto',
  '/opt/homebrew/sbin/mosquitto',
];

/** Path of the Mosquitto binary on this machine, or `undefined` if none is installed. */
export const findMosquitto = (): string | undefined =>
  findExecutable('MOSQUITTO_BIN', MOSQUITTO_CANDIDATES);

/** Options of {@link startMosquitto}. */
export interface StartMosquittoOptions {
  /** Config file to adapt (default: `config/mosquitto.conf`, the development profile). */
  readonly configFile?: string;
  /** Turn persistence on or off regardless of the config file. */
  readonly persistence?: boolean;
  /** Reuse this run directory (data, log, config) — e.g. to restart on the same persistence file. */
  readonly runDir?: string;
  /** Fixed ports per listener of the file, e.g. `{ 1883: 1883 }`; unlisted listeners get free ports. */
  readonly ports?: Readonly<Record<number, number>>;
  /** Address the listeners bind to (default `127.0.0.1`). */
  readonly bindAddress?: string;
  /** Extra configuration lines appended after the file's own. */
  readonly extra?: string;
  /** How long to wait for the listeners to accept connections (default 10 s). */
  readonly startTimeoutMs?: number;
  /**
   * Run Mosquitto as this user and group instead of ours (we must be root), as the Docker image
   * runs it (uid/gid 1883): the run directory is handed to that user, and every file the config
   * names must be readable by it — which is what a test of file permissions wants to see.
   */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  /**
   * Run Mosquitto inside this network namespace (`ip netns exec`, needs root; tools/netlab). Its
   * ports are then not reachable from here: readiness comes from its log ("… running") instead,
   * and `ports` should be given (free ports are looked up in our namespace, not its).
   */
  readonly netns?: string;
  /**
   * Run Mosquitto in its own process group (default false), so a terminal's Ctrl-C reaches only
   * the parent, which then stops its clients before the broker.
   */
  readonly detached?: boolean;
}

/** A Mosquitto process started from the binary with the project's configuration. */
export interface RunningMosquitto {
  /** Process id, for `kill`. */
  readonly pid: number;
  /** Host the listeners are bound to. */
  readonly host: string;
  /** Port of each listener, keyed by the port the config file names (`ports[1883]`, `ports[9001]`). */
  readonly ports: Readonly<Record<number, number>>;
  /**
   * URL of the first plain MQTT (TCP) listener, `mqtt://host:port`; if the file has none, of the
   * first TLS one (`mqtts://`). Empty if the file has no MQTT listener at all.
   */
  readonly url: string;
  /** URL of the first WebSocket listener (`ws://host:port` or `wss://`), if the file has one. */
  readonly wsUrl: string | undefined;
  /** URL of every listener, keyed by the port the config file names (`urls[9001]`). */
  readonly urls: Readonly<Record<number, string>>;
  /** Listener blocks of the file (port as written, protocol, TLS). */
  readonly listeners: readonly ListenerInfo[];
  /** Directory holding `mosquitto.conf`, `data/` and `mosquitto.log` of this run. */
  readonly runDir: string;
  /** Path of the adapted config this process runs with. */
  readonly configPath: string;
  /** Path of the log file. */
  readonly logFile: string;
  /** Settles when the process ends, for whatever reason (stop, kill, crash). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whole log file so far. */
  readLog(): Promise<string>;
  /** SIGTERM (a clean shutdown, which also writes the persistence file) and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or power loss would: nothing is written on the way down. */
  kill(): Promise<void>;
  /** Starts a new process with the same config, ports and data directory (after stop or kill). */
  restart(): Promise<RunningMosquitto>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts Mosquitto from the binary with an adapted copy of the project's config on ephemeral ports
 * (127.0.0.1 only) and resolves once every listener accepts connections.
 *
 * @example
 * ```ts
 * const broker = await startMosquitto({ persistence: true });
 * // ... connect to broker.url ...
 * await broker.kill();                 // crash it
 * const again = await broker.restart(); // same ports, same persistence file
 * await again.stop();
 * ```
 */
export async function startMosquitto(
  options: StartMosquittoOptions = {},
): Promise<RunningMosquitto> {
  const bin = findMosquitto();
  if (!bin)
    throw new Error('Mosquitto is not installed (apt-get install -y mosquitto mosquitto-clients)');
  const configFile = options.configFile ?? join(CONFIG_DIR, 'mosquitto.conf');
  const text = await expandIncludeDirs(await readFile(configFile, 'utf8'), dirname(configFile));
  const listeners = parseListeners(text);
  const runDir = options.runDir ?? (await mkdtemp(join(tmpdir(), 'ot-mqtt-mosquitto-')));
  const dataDir = join(runDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const logFile = join(runDir, 'mosquitto.log');
  const configPath = join(runDir, 'mosquitto.conf');
  const host = options.bindAddress ?? '127.0.0.1';
  if (options.runAs) {
    // Mosquitto writes data/ and its log as that user; it reads its config as that user too.
    await chmod(runDir, 0o755);
    for (const path of [runDir, dataDir]) await chown(path, options.runAs.uid, options.runAs.gid);
  }
  // A free port can be taken by another process between our check and Mosquitto's bind (tests
  // run in parallel): then try again with new ports, a few times.
  for (let attempt = 1; ; attempt++) {
    const ports: Record<number, number> = {};
    const taken = new Set<number>();
    for (const { port } of listeners) {
      let chosen = options.ports?.[port];
      while (chosen === undefined || (taken.has(chosen) && options.ports?.[port] === undefined)) {
        chosen = await freePort();
      }
      taken.add(chosen);
      ports[port] = chosen;
    }
    await writeFile(
      configPath,
      adaptConfig(text, {
        ports,
        bindAddress: host,
        dataDir,
        logFile,
        configDir: dirname(configFile),
        ...(options.persistence === undefined ? {} : { persistence: options.persistence }),
        ...(options.extra === undefined ? {} : { extra: options.extra }),
      }),
    );
    const logBefore = (await readFile(logFile, 'utf8').catch(() => '')).length;
    try {
      return await launch(
        bin,
        { ...options, configFile, runDir, ports },
        { host, ports, runDir, configPath, logFile, listeners },
      );
    } catch (error) {
      const log = (await readFile(logFile, 'utf8').catch(() => '')).slice(logBefore);
      const portsAreOurs = listeners.some(({ port }) => options.ports?.[port] === undefined);
      if (!portsAreOurs || !log.includes('Address already in use') || attempt >= 3) throw error;
    }
  }
}

/**
 * Replaces each `include_dir` line by the `*.conf` files it names, in the order Mosquitto reads
 * them (alphabetical), so the adaptation of ports and paths also sees their listeners.
 */
async function expandIncludeDirs(text: string, configDir: string): Promise<string> {
  if (!/^\s*include_dir\s/m.test(text)) return text;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*include_dir\s+(.+?)\s*$/.exec(line);
    if (!match?.[1]) {
      out.push(line);
      continue;
    }
    const dir = resolveConfigPath(match[1], configDir);
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((name) => name.endsWith('.conf'))
      .sort();
    out.push(`# include_dir ${match[1]} (inlined)`);
    for (const name of names) out.push(`# ---- ${name}`, await readFile(join(dir, name), 'utf8'));
  }
  return out.join('\n');
}

async function launch(
  bin: string,
  options: StartMosquittoOptions & { runDir: string; ports: Record<number, number> },
  paths: {
    host: string;
    ports: Record<number, number>;
    runDir: string;
    configPath: string;
    logFile: string;
    listeners: readonly ListenerInfo[];
  },
): Promise<RunningMosquitto> {
  const [command, args] = options.netns
    ? ['ip', ['netns', 'exec', options.netns, bin, '-c', paths.configPath]]
    : [bin, ['-c', paths.configPath]];
  const logStart = (await readFile(paths.logFile, 'utf8').catch(() => '')).length;
  // `ip netns exec` enters the namespace and then execs Mosquitto: the pid is Mosquitto's.
  const child = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: options.detached ?? false,
    // libuv also drops supplementary groups: the process holds exactly this uid and gid.
    ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => (running.delete(child), res({ code, signal }))),
  );
  const waitFor = options.netns
    ? waitForLogLine(paths.logFile, logStart, / running$/m, options.startTimeoutMs ?? 10_000)
    : Promise.all(
        Object.values(paths.ports).map((p) =>
          waitForPort(
            p,
            paths.host === '0.0.0.0' ? '127.0.0.1' : paths.host,
            options.startTimeoutMs ?? 10_000,
          ),
        ),
      );
  const early = exited.then(() => {
    throw new Error(`mosquitto exited at start: ${stderr.trim() || 'see ' + paths.logFile}`);
  });
  try {
    await Promise.race([waitFor, early]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  early.catch(() => undefined);
  const shownHost = paths.host === '0.0.0.0' ? '127.0.0.1' : paths.host;
  const urls: Record<number, string> = {};
  for (const listener of paths.listeners) {
    urls[listener.port] =
      `${schemeOf(listener)}://${shownHost}:${paths.ports[listener.port] ?? ''}`;
  }
  const firstUrl = (...schemes: string[]) => {
    for (const scheme of schemes) {
      const found = paths.listeners.find((l) => schemeOf(l) === scheme);
      if (found) return urls[found.port];
    }
    return undefined;
  };
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    pid: child.pid ?? -1,
    host: paths.host,
    ports: paths.ports,
    url: firstUrl('mqtt', 'mqtts') ?? '',
    wsUrl: firstUrl('ws', 'wss'),
    urls,
    listeners: paths.listeners,
    runDir: paths.runDir,
    configPath: paths.configPath,
    logFile: paths.logFile,
    exited,
    readLog: () => readFile(paths.logFile, 'utf8').catch(() => ''),
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: () => launch(bin, options, paths),
  };
}

/** Resolves once `pattern` appears in the log after `from`; rejects after `timeoutMs`. */
async function waitForLogLine(
  logFile: string,
  from: number,
  pattern: RegExp,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test((await readFile(logFile, 'utf8').catch(() => '')).slice(from))) {
    if (Date.now() > deadline)
      throw new Error(`mosquitto did not log "running" within ${timeoutMs} ms (see ${logFile})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
