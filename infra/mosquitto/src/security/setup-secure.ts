import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCertificateAuthority, hasCertificate, issueCertificate } from './dev-pki.js';
import { generatePassword, mosquittoPasswordLine } from './mosquitto-password.js';

/**
 * Default secrets folder, `infra/mosquitto/certs/` (gitignored). The production profile expects it
 * mounted on `/mosquitto/config/certs`.
 */
export const DEFAULT_SECRETS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'certs',
);

/** Users of the production ACL that get a password (`<user>.password`) and a client certificate. */
export const SECURE_USERS = ['agent', 'viewer', 'dashboard'] as const;

/** Identities with a client certificate only: the OT → IT bridge (CN `ot-bridge`). */
export const CERTIFICATE_ONLY_USERS = ['ot-bridge'] as const;

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
  /** Throw everything away and start over, new CA included (default: keep what exists). */
  readonly force?: boolean;
}

/** What {@link setupSecure} produced. Holds paths only: passwords stay in their files. */
export interface SecureSetup {
  /** The secrets folder. */
  readonly dir: string;
  /** CA certificate clients must trust (`MQTT_CA_FILE`). */
  readonly caFile: string;
  /** Mosquitto password file (hashed). */
  readonly passwordFile: string;
  /** Per user: file holding the plain password (`MQTT_PASSWORD_FILE`), certificate and key. */
  readonly users: Readonly<
    Record<string, { passwordFile?: string; certFile: string; keyFile: string }>
  >;
  /** Names the server certificate is valid for. */
  readonly hostnames: readonly string[];
  /** Files created by this run (the rest already existed and were kept). */
  readonly created: readonly string[];
}

/**
 * Creates everything the production profile needs for a local, working secure broker: a development
 * CA, a server certificate, a client certificate per user (and for the bridge), a random password per
 * user and the Mosquitto password file. Re-running keeps what exists (so clients that trust the CA
 * keep working) and adds what is missing; `force` starts over.
 *
 * Development only — a plant brings its own CA and certificates (docs/security.md).
 *
 * @example
 * ```ts
 * const setup = await setupSecure({ hostnames: ['mqtt.plant.local'] });
 * // MQTT_CA_FILE=setup.caFile MQTT_USERNAME=agent MQTT_PASSWORD_FILE=setup.users.agent.passwordFile
 * ```
 */
export async function setupSecure(options: SetupSecureOptions = {}): Promise<SecureSetup> {
  const dir = resolve(options.dir ?? DEFAULT_SECRETS_DIR);
  if (options.force) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  const hostnames = unique([
    'localhost',
    '127.0.0.1',
    '::1',
    hostname(),
    ...(options.hostnames ?? []),
  ]);

  let newCa = false;
  if (!hasCertificate(dir, 'ca')) {
    await createCertificateAuthority({ dir });
    created.push('ca.crt', 'ca.key');
    newCa = true;
  }
  // A new CA invalidates everything it did not sign; changed host names need a new server certificate.
  const namesFile = join(dir, 'server.hostnames');
  const previousNames = existsSync(namesFile) ? (await readFile(namesFile, 'utf8')).trim() : '';
  if (newCa || !hasCertificate(dir, 'server') || previousNames !== hostnames.join(',')) {
    await issueCertificate({
      dir,
      name: 'server',
      commonName: 'ot-mqtt broker',
      usage: 'server',
      hostnames,
    });
    await writeFile(namesFile, hostnames.join(',') + '\n');
    created.push('server.crt', 'server.key');
  }
  const users = options.users ?? SECURE_USERS;
  const missing = [...users, ...CERTIFICATE_ONLY_USERS].filter(
    (name) => newCa || !hasCertificate(dir, name),
  );
  await Promise.all(
    missing.map((name) => issueCertificate({ dir, name, commonName: name, usage: 'client' })),
  );
  for (const name of missing) created.push(`${name}.crt`, `${name}.key`);

  const lines: string[] = [];
  const result: Record<string, SecureUserFiles> = {};
  for (const name of users) {
    const passwordFile = join(dir, `${name}.password`);
    if (!existsSync(passwordFile)) {
      // No trailing newline: the file holds exactly the password (Docker-secret style).
      await writeFile(passwordFile, generatePassword(), { mode: 0o600 });
      created.push(`${name}.password`);
    }
    lines.push(mosquittoPasswordLine(name, (await readFile(passwordFile, 'utf8')).trim()));
    result[name] = {
      passwordFile,
      certFile: join(dir, `${name}.crt`),
      keyFile: join(dir, `${name}.key`),
    };
  }
  for (const name of CERTIFICATE_ONLY_USERS) {
    result[name] = { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
  }
  const passwordFile = join(dir, 'passwd');
  await writeFile(passwordFile, lines.join('\n') + '\n', { mode: 0o600 });
  await chmod(passwordFile, 0o600);
  return { dir, caFile: join(dir, 'ca.crt'), passwordFile, users: result, hostnames, created };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}
