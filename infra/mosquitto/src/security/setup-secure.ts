import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCertificateAuthority, hasCertificate, issueCertificate } from './dev-pki.js';
import { generatePassword, mosquittoPasswordLine } from './mosquitto-password.js';

/**
 * Default secrets folder, `infra/mosquitto/certs/` (gitignored). {@link setupSecure} lays it out as
 * `broker/` (what the broker reads: the production profile mounts it on `/mosquitto/config/certs`)
 * and `clients/` (what only clients and the certificate issuer may see).
 */
export const DEFAULT_SECRETS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'certs',
);

/** Users of the production ACL that get a password (`<user>.password`) and a client certificate. */
export const SECURE_USERS = [
  'agent',
  'viewer',
  'dashboard',
  'operator',
  'gateway',
  'broker-metrics',
] as const;

/** Identities with a client certificate only: the OT → IT bridge (CN `ot-bridge`), the OT broker's own. */
export const CERTIFICATE_ONLY_USERS = ['ot-bridge'] as const;

/**
 * The group id the broker runs as in the eclipse-mosquitto image (user and group `mosquitto`,
 * 1883). Mosquitto 2.0 reads its key and password file after dropping to that user.
 */
export const DOCKER_BROKER_GID = 1883;

/** The files of one user made by {@link setupSecure}. */
export interface SecureUserFiles {
  /** File holding exactly the plain password (`MQTT_PASSWORD_FILE`); absent for certificate-only users. */
  readonly passwordFile?: string;
  /** Client certificate, Common Name = user name (`MQTT_CERT_FILE`). */
  readonly certFile: string;
  /** Its private key (`MQTT_KEY_FILE`). */
  readonly keyFile: string;
}

/** Options of {@link setupSecure}. */
export interface SetupSecureOptions {
  /** Where to write the secrets (default: {@link DEFAULT_SECRETS_DIR}). */
  readonly dir?: string;
  /** Extra DNS names / IP addresses for the server certificate (always: localhost, 127.0.0.1, ::1, this host's name). */
  readonly hostnames?: readonly string[];
  /** Password users (default: {@link SECURE_USERS}). */
  readonly users?: readonly string[];
  /**
   * Machine identities: a password user per machine id, whose ACL pattern
   * (`pattern write plc/bottlefiller/%u/#`) lets it write only that machine's topics.
   */
  readonly machines?: readonly string[];
  /**
   * Group that must be able to read the broker folder (default {@link DOCKER_BROKER_GID}, the
   * Docker image's broker). Applied when this process may (root, or a member of the group);
   * otherwise {@link SecureSetup.warnings} says what to run.
   */
  readonly brokerGid?: number;
  /** Throw everything away and start over, new CA included (default: keep what exists). */
  readonly force?: boolean;
}

/** What {@link setupSecure} produced. Holds paths only: passwords stay in their files. */
export interface SecureSetup {
  /** The secrets folder (holding `broker/` and `clients/`). */
  readonly dir: string;
  /**
   * What the broker reads, and nothing else: `ca.crt`, `server.crt`, `server.key`, `passwd`, and its
   * own bridge identity `ot-bridge.crt`/`.key`. Mount this one (and only this one) on
   * `/mosquitto/config/certs`.
   */
  readonly brokerDir: string;
  /** Client secrets and the CA key: `ca.key`, `<user>.crt`/`.key`, `<user>.password`. Never mounted into the broker. */
  readonly clientsDir: string;
  /** CA certificate clients must trust (`MQTT_CA_FILE`, in `clients/`). */
  readonly caFile: string;
  /** Mosquitto password file (hashed, in `broker/`). */
  readonly passwordFile: string;
  /** Per user: file holding the plain password (`MQTT_PASSWORD_FILE`), certificate and key. */
  readonly users: Readonly<
    Record<string, { passwordFile?: string; certFile: string; keyFile: string }>
  >;
  /** Names the server certificate is valid for. */
  readonly hostnames: readonly string[];
  /** Files created by this run (the rest already existed and were kept). */
  readonly created: readonly string[];
  /** What could not be done (e.g. giving the broker's group read access without root) and how to do it. */
  readonly warnings: readonly string[];
}

/** Files of the broker folder and their modes (group = the broker's). */
const BROKER_FILES: Readonly<Record<string, number>> = {
  'ca.crt': 0o644,
  'server.crt': 0o644,
  'server.key': 0o640,
  passwd: 0o640,
  'ot-bridge.crt': 0o644,
  'ot-bridge.key': 0o640,
};

/**
 * Creates everything the production profile needs for a local, working secure broker: a development
 * CA, a server certificate, a client certificate per user (and for the bridge), a random password per
 * user and the Mosquitto password file — laid out in two folders, so the broker is handed only what
 * it needs:
 *
 * - `broker/`: `ca.crt`, `server.crt`, `server.key`, `passwd`, `ot-bridge.crt`/`.key` (the OT
 *   broker's own bridge identity); folder 0750, keys and `passwd` 0640, group = `brokerGid` (1883,
 *   the Docker image's `mosquitto`), so the broker can read them after dropping privileges and
 *   nobody else can.
 * - `clients/` (0700): `ca.crt`, `ca.key`, `<user>.crt`/`.key`, `<user>.password`, `server.hostnames`.
 *
 * Re-running keeps what exists (so clients that trust the CA keep working) and adds what is
 * missing; `force` starts over. An older flat folder (everything at the top) is moved into the
 * two folders. Development only — a plant brings its own CA and certificates (docs/security.md).
 *
 * @example
 * ```ts
 * const setup = await setupSecure({ hostnames: ['mqtt.plant.local'], machines: ['filler-07'] });
 * // broker:  mount setup.brokerDir on /mosquitto/config/certs
 * // clients: MQTT_CA_FILE=setup.caFile MQTT_USERNAME=agent MQTT_PASSWORD_FILE=setup.users.agent.passwordFile
 * ```
 */
export async function setupSecure(options: SetupSecureOptions = {}): Promise<SecureSetup> {
  const dir = resolve(options.dir ?? DEFAULT_SECRETS_DIR);
  if (options.force) await rm(dir, { recursive: true, force: true });
  const brokerDir = join(dir, 'broker');
  const clientsDir = join(dir, 'clients');
  await mkdir(clientsDir, { recursive: true, mode: 0o700 });
  await mkdir(brokerDir, { recursive: true, mode: 0o750 });
  // Traverse only: a broker run from this folder in place (serve-secure, tests as another uid)
  // can reach broker/ without being able to list the top or enter clients/.
  await chmod(dir, 0o711);
  await chmod(clientsDir, 0o700);
  await moveFlatLayout(dir, clientsDir);

  const created: string[] = [];
  const hostnames = unique([
    'localhost',
    '127.0.0.1',
    '::1',
    hostname(),
    ...(options.hostnames ?? []),
  ]);

  // Certificates are issued in clients/ (where the CA key is); the broker's are copied over.
  let newCa = false;
  if (!hasCertificate(clientsDir, 'ca')) {
    await createCertificateAuthority({ dir: clientsDir });
    created.push('clients/ca.crt', 'clients/ca.key');
    newCa = true;
  }
  // A new CA invalidates everything it did not sign; changed host names need a new server certificate.
  const namesFile = join(clientsDir, 'server.hostnames');
  const previousNames = existsSync(namesFile) ? (await readFile(namesFile, 'utf8')).trim() : '';
  const serverMissing = !existsSync(join(brokerDir, 'server.crt'));
  if (newCa || serverMissing || previousNames !== hostnames.join(',')) {
    await issueCertificate({
      dir: clientsDir,
      name: 'server',
      commonName: 'ot-mqtt broker',
      usage: 'server',
      hostnames,
    });
    await moveInto(clientsDir, brokerDir, ['server.crt', 'server.key']);
    await writeFile(namesFile, hostnames.join(',') + '\n');
    created.push('broker/server.crt', 'broker/server.key');
  }
  if (newCa || !hasCertificate(brokerDir, 'ot-bridge')) {
    await issueCertificate({
      dir: clientsDir,
      name: 'ot-bridge',
      commonName: 'ot-bridge',
      usage: 'client',
    });
    await moveInto(clientsDir, brokerDir, ['ot-bridge.crt', 'ot-bridge.key']);
    created.push('broker/ot-bridge.crt', 'broker/ot-bridge.key');
  }
  await copyFile(join(clientsDir, 'ca.crt'), join(brokerDir, 'ca.crt'));

  for (const machine of options.machines ?? []) assertMachineIdentity(machine);
  const users = unique([...(options.users ?? SECURE_USERS), ...(options.machines ?? [])]);
  const missing = users.filter((name) => newCa || !hasCertificate(clientsDir, name));
  await Promise.all(
    missing.map((name) =>
      issueCertificate({ dir: clientsDir, name, commonName: name, usage: 'client' }),
    ),
  );
  for (const name of missing) created.push(`clients/${name}.crt`, `clients/${name}.key`);

  const lines: string[] = [];
  const result: Record<string, SecureUserFiles> = {};
  for (const name of users) {
    const passwordFile = join(clientsDir, `${name}.password`);
    if (!existsSync(passwordFile)) {
      // No trailing newline: the file holds exactly the password (Docker-secret style).
      await writeFile(passwordFile, generatePassword(), { mode: 0o600 });
      created.push(`clients/${name}.password`);
    }
    lines.push(mosquittoPasswordLine(name, (await readFile(passwordFile, 'utf8')).trim()));
    result[name] = {
      passwordFile,
      certFile: join(clientsDir, `${name}.crt`),
      keyFile: join(clientsDir, `${name}.key`),
    };
  }
  for (const name of CERTIFICATE_ONLY_USERS) {
    result[name] = {
      certFile: join(brokerDir, `${name}.crt`),
      keyFile: join(brokerDir, `${name}.key`),
    };
  }
  const passwordFile = join(brokerDir, 'passwd');
  await writeFile(passwordFile, lines.join('\n') + '\n', { mode: 0o640 });

  const warnings = await grantBrokerGroup(brokerDir, options.brokerGid ?? DOCKER_BROKER_GID);
  return {
    dir,
    brokerDir,
    clientsDir,
    caFile: join(clientsDir, 'ca.crt'),
    passwordFile,
    users: result,
    hostnames,
    created,
    warnings,
  };
}

/** Modes as in {@link BROKER_FILES}; group = `gid` where this process may set it. */
async function grantBrokerGroup(brokerDir: string, gid: number): Promise<string[]> {
  await chmod(brokerDir, 0o750);
  for (const [name, mode] of Object.entries(BROKER_FILES)) await chmod(join(brokerDir, name), mode);
  const may = process.getuid?.() === 0 || (process.getgroups?.() ?? []).includes(gid);
  if (!may) {
    return [
      `the broker folder is readable by your group only; for Docker (Mosquitto runs as uid/gid ${gid}) run: ` +
        `sudo chgrp -R ${gid} ${brokerDir}`,
    ];
  }
  const owner = process.getuid?.() ?? 0;
  await chown(brokerDir, owner, gid);
  for (const name of Object.keys(BROKER_FILES)) await chown(join(brokerDir, name), owner, gid);
  return [];
}

async function moveInto(from: string, to: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await copyFile(join(from, name), join(to, name));
    await rm(join(from, name));
  }
}

/**
 * Secrets folders made before the two-folder layout held everything at the top: move the broker's
 * files into `broker/` and the rest into `clients/`, so an upgrade keeps its CA and passwords.
 */
async function moveFlatLayout(dir: string, clientsDir: string): Promise<void> {
  if (!existsSync(join(dir, 'ca.key'))) return;
  const brokerDir = join(dir, 'broker');
  for (const name of await readdir(dir)) {
    if (name === 'broker' || name === 'clients') continue;
    const target = name in BROKER_FILES && name !== 'ca.crt' ? brokerDir : clientsDir;
    await copyFile(join(dir, name), join(target, name));
    await rm(join(dir, name));
  }
}

/**
 * A machine identity's user name is a machine id, which the ACL's `pattern … plc/bottlefiller/%u/#`
 * turns into a topic level: it must be one plain level, and no account's name (the pattern applies
 * to every user, so an account named like a machine would get that machine's rights).
 */
function assertMachineIdentity(machine: string): void {
  const reserved: readonly string[] = [...SECURE_USERS, ...CERTIFICATE_ONLY_USERS];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(machine))
    throw new Error(
      `machine identity "${machine}" is not a machine id: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  if (reserved.includes(machine))
    throw new Error(
      `machine identity "${machine}" is the name of an account (${reserved.join(', ')}): name the machine otherwise`,
    );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}
