import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A new EC P-256 key at `key` (readable by its owner only) and `openssl req -new` for it, subject
 * `/O=ot-mqtt/CN=<commonName>`; `args` say what to make of the request (`-x509 …` or `-out csr`).
 */
async function newKeyAndRequest(key: string, commonName: string, args: readonly string[]) {
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  await chmod(key, 0o600);
  await openssl(['req', '-new', '-key', key, '-subj', `/O=ot-mqtt/CN=${commonName}`, ...args]);
}

/** Options of {@link createCertificateAuthority}. */
export interface CertificateAuthorityOptions {
  /** Folder that receives `ca.crt` and `ca.key`. */
  readonly dir: string;
  /** Common Name of the CA (default: `ot-mqtt development CA`). */
  readonly commonName?: string;
  /** Validity in days (default: 3650). */
  readonly days?: number;
}

/** Options of {@link issueCertificate}. */
export interface IssueCertificateOptions {
  /** Folder holding `ca.crt`/`ca.key`; receives `<name>.crt` and `<name>.key`. */
  readonly dir: string;
  /** File name stem, e.g. `server`, `agent`. */
  readonly name: string;
  /** Common Name. For client certificates this becomes the MQTT user name (`use_identity_as_username`). */
  readonly commonName: string;
  /** `server` (TLS server, needs `hostnames`) or `client` (TLS client authentication). */
  readonly usage: 'server' | 'client';
  /** DNS names and IP addresses the server certificate is valid for (subjectAltName). */
  readonly hostnames?: readonly string[];
  /** Validity in days (default: 825, the longest most TLS clients accept). */
  readonly days?: number;
  /** Sign with this CA stem instead of `ca` (e.g. a second, untrusted CA in tests). */
  readonly caName?: string;
}

/**
 * Creates a development certificate authority (EC P-256 key, self-signed) with `openssl`.
 * Development only: its key sits on disk unencrypted, next to what it signs.
 */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions,
): Promise<void> {
  await newKeyAndRequest(
    join(options.dir, 'ca.key'),
    options.commonName ?? 'ot-mqtt development CA',
    [
      '-x509',
      '-sha256',
      '-days',
      String(options.days ?? 3650),
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      join(options.dir, 'ca.crt'),
    ],
  );
}

/**
 * Issues a server or client certificate (EC P-256) signed by the CA in the same folder.
 *
 * @example
 * ```ts
 * await createCertificateAuthority({ dir });
 * await issueCertificate({ dir, name: 'server', commonName: 'broker', usage: 'server',
 *   hostnames: ['localhost', '127.0.0.1', 'mqtt.plant.local'] });
 * await issueCertificate({ dir, name: 'agent', commonName: 'agent', usage: 'client' });
 * ```
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<void> {
  const caName = options.caName ?? 'ca';
  const key = join(options.dir, `${options.name}.key`);
  const csr = join(options.dir, `${options.name}.csr`);
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    `extendedKeyUsage=${options.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
  ];
  if (options.usage === 'server') {
    const names = options.hostnames ?? [];
    if (names.length === 0)
      throw new Error('issueCertificate: a server certificate needs hostnames');
    ext.push('subjectAltName=' + names.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(','));
  }
  // The extension file lives outside `dir`, which may be a mounted secrets folder.
  const tmp = await mkdtemp(join(tmpdir(), 'ot-mqtt-pki-'));
  const extFile = join(tmp, 'ext.cnf');
  try {
    await writeFile(extFile, ext.join('\n') + '\n');
    await newKeyAndRequest(key, options.commonName, ['-out', csr]);
    await openssl([
      'x509',
      '-req',
      '-sha256',
      '-in',
      csr,
      '-CA',
      join(options.dir, `${caName}.crt`),
      '-CAkey',
      join(options.dir, `${caName}.key`),
      // A random serial: two certificates from re-runs must never share one (RFC 5280 §4.1.2.2).
      '-set_serial',
      '0x' + randomBytes(16).toString('hex').replace(/^./, '1'),
      '-days',
      String(options.days ?? 825),
      '-extfile',
      extFile,
      '-out',
      join(options.dir, `${options.name}.crt`),
    ]);
  } finally {
    await rm(csr, { force: true });
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Whether `<dir>/<name>.crt` and `<dir>/<name>.key` both exist. */
export function hasCertificate(dir: string, name: string): boolean {
  return existsSync(join(dir, `${name}.crt`)) && existsSync(join(dir, `${name}.key`));
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('openssl is not installed (apt-get install -y openssl)', { cause: error });
    throw new Error(`openssl ${args[0] ?? ''} failed: ${(e.stderr ?? e.message).trim()}`, {
      cause: error,
    });
  }
}
