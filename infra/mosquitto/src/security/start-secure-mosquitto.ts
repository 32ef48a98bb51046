import { copyFile, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  CONFIG_DIR,
  startMosquitto,
  type RunningMosquitto,
  type StartMosquittoOptions,
} from '../start-mosquitto.js';

/** The production profile's folder (`config/production`: mosquitto.conf, acl, conf.d/, optional/). */
export const PRODUCTION_CONFIG_DIR = join(CONFIG_DIR, 'production');

/** The bridge folder (`config/bridge`: the OT-side bridge file and the IT broker's profile). */
export const BRIDGE_CONFIG_DIR = join(CONFIG_DIR, 'bridge');

/** Options of {@link startSecureMosquitto}. */
export interface StartSecureMosquittoOptions
  // As startMosquitto takes them; `extra` lines come after the profile's and the included files.
  extends Pick<
    StartMosquittoOptions,
    'ports' | 'bindAddress' | 'extra' | 'runDir' | 'runAs' | 'netns'
  > {
  /**
   * The broker's secrets folder, as mounted on `/mosquitto/config/certs` in Docker: `setupSecure`'s
   * `brokerDir` (ca.crt, server.crt/key, passwd, ot-bridge.crt/key). Used in place (linked, not
   * copied), so the broker meets the files' real owners and modes.
   */
  readonly secretsDir: string;
  /** Profile folder holding `mosquitto.conf` and `acl` (default: {@link PRODUCTION_CONFIG_DIR}). */
  readonly profileDir?: string;
  /** Extra config files appended in this order, as if copied into `conf.d/` (e.g. optional listeners, the bridge). */
  readonly include?: readonly string[];
  /** Last rewrite of the assembled config text, before ports and paths are adapted (e.g. a bridge `address`). */
  readonly transform?: (configText: string) => string;
}

/** A running secure-profile Mosquitto, with the URLs of its listeners. */
export interface SecureMosquitto extends RunningMosquitto {
  /** `mqtts://host:port` of the TLS listener (8883 in the file), if the profile has one. */
  readonly mqttsUrl: string | undefined;
  /** `wss://host:port` of the secure WebSocket listener (9443), if any. */
  readonly wssUrl: string | undefined;
  /** `mqtts://host:port` of the client-certificate listener (8884), if included. */
  readonly clientCertUrl: string | undefined;
  /** `mqtt://host:port` of an opted-in plaintext listener (1883), if included. */
  readonly plaintextUrl: string | undefined;
  /** The CA certificate clients must trust. */
  readonly caFile: string;
}

/**
 * Starts Mosquitto with the production profile (or another profile folder laid out the same way)
 * on ephemeral loopback ports: copies the profile and the secrets into a run directory laid out as
 * the container sees it (`config/`, `config/certs/`), inlines `conf.d/*.conf` and `include` files so
 * their listeners get ephemeral ports too, then starts it with {@link startMosquitto}.
 *
 * @example
 * ```ts
 * const secrets = await setupSecure({ dir: await mkdtemp(join(tmpdir(), 'secrets-')) });
 * const broker = await startSecureMosquitto({ secretsDir: secrets.brokerDir });
 * const client = await mqtt.connectAsync(broker.mqttsUrl!, {
 *   ca: await readFile(secrets.caFile), servername: 'localhost',
 *   username: 'viewer', password: await readFile(secrets.users.viewer!.passwordFile!, 'utf8'),
 * });
 * ```
 */
export async function startSecureMosquitto(
  options: StartSecureMosquittoOptions,
): Promise<SecureMosquitto> {
  const profileDir = options.profileDir ?? PRODUCTION_CONFIG_DIR;
  const runDir = options.runDir ?? (await mkdtemp(join(tmpdir(), 'ot-mqtt-secure-')));
  const configDir = join(runDir, 'config');
  await mkdir(configDir, { recursive: true });
  const certs = join(configDir, 'certs');
  // A reused run directory keeps its link; a new one gets it.
  await symlink(options.secretsDir, certs).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  for (const name of await readdir(profileDir)) {
    if (name === 'acl') await copyFile(join(profileDir, name), join(configDir, name));
  }
  const text = await assembleConfig(profileDir, options.include ?? []);
  const configFile = join(configDir, 'mosquitto.conf');
  await writeFile(configFile, options.transform ? options.transform(text) : text);
  const broker = await startMosquitto({
    configFile,
    runDir,
    ...(options.ports ? { ports: options.ports } : {}),
    ...(options.bindAddress ? { bindAddress: options.bindAddress } : {}),
    ...(options.extra ? { extra: options.extra } : {}),
    ...(options.runAs ? { runAs: options.runAs } : {}),
    ...(options.netns ? { netns: options.netns } : {}),
  });
  const host = broker.host === '0.0.0.0' ? '127.0.0.1' : broker.host;
  const url = (scheme: string, port: number | undefined) =>
    port === undefined ? undefined : `${scheme}://${host}:${port}`;
  return {
    ...broker,
    mqttsUrl: url('mqtts', broker.ports[8883]),
    wssUrl: url('wss', broker.ports[9443]),
    clientCertUrl: url('mqtts', broker.ports[8884]),
    plaintextUrl: url('mqtt', broker.ports[1883]),
    caFile: join(configDir, 'certs', 'ca.crt'),
  };
}

/**
 * The profile's `mosquitto.conf` with its `include_dir` line replaced by the text of the files it
 * would include (`conf.d/*.conf`, alphabetical, as Mosquitto reads them) followed by `include`.
 * Inlining lets the port and path adaptation see every listener.
 */
export async function assembleConfig(
  profileDir: string,
  include: readonly string[],
): Promise<string> {
  const main = await readFile(join(profileDir, 'mosquitto.conf'), 'utf8');
  const confD = join(profileDir, 'conf.d');
  const local = (await readdir(confD).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.conf'))
    .sort()
    .map((n) => join(confD, n));
  const parts: string[] = [];
  for (const file of [...local, ...include]) {
    parts.push(`# ---- included: ${basename(file)}`, await readFile(file, 'utf8'));
  }
  const lines = main.split('\n');
  const at = lines.findIndex((l) => /^\s*include_dir\s/.test(l));
  if (at === -1) return [main, ...parts].join('\n');
  return [...lines.slice(0, at), ...parts, ...lines.slice(at + 1)].join('\n');
}
