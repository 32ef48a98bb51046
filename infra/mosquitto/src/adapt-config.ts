/**
 * Rewrites a Mosquitto configuration written for the container (fixed ports, `/mosquitto/...` paths)
 * so that the very same settings run from the Mosquitto binary on this machine: listeners move to the
 * ports we were given, persistence and log files move into a local run directory, and relative or
 * container paths to password, ACL and certificate files are resolved against the config folder.
 */
export interface AdaptConfigOptions {
  /** New port for each listener port found in the file, e.g. `{ 1883: 41234, 9001: 41235 }`. */
  readonly ports: Readonly<Record<number, number>>;
  /** Host to bind every listener to (default: `127.0.0.1`, so tests never open ports to the network). */
  readonly bindAddress?: string;
  /** Directory that replaces `/mosquitto/data/`. */
  readonly dataDir: string;
  /** File that replaces the `log_dest file` path. */
  readonly logFile: string;
  /** Directory that replaces `/mosquitto/config/` (for password files, ACLs, certificates). */
  readonly configDir: string;
  /** Turn persistence on or off regardless of the file (default: as the file says). */
  readonly persistence?: boolean;
  /** Extra lines appended at the end (a test's own overrides, e.g. a short `autosave_interval`). */
  readonly extra?: string;
}

const PATH_OPTIONS = new Set([
  'password_file',
  'acl_file',
  'cafile',
  'capath',
  'certfile',
  'keyfile',
  'crlfile',
  'dhparamfile',
  'psk_file',
  'bridge_cafile',
  'bridge_certfile',
  'bridge_keyfile',
]);

/** Returns the adapted configuration text. Throws if a listener port has no replacement. */
export function adaptConfig(text: string, options: AdaptConfigOptions): string {
  const bind = options.bindAddress ?? '127.0.0.1';
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      out.push(raw);
      continue;
    }
    const [key = '', ...rest] = line.split(/\s+/);
    const value = rest.join(' ');
    if (key === 'listener') {
      const port = Number(rest[0]);
      const mapped = options.ports[port];
      if (mapped === undefined)
        throw new Error(`adaptConfig: no replacement port for listener ${port}`);
      out.push(`listener ${mapped} ${bind}`);
    } else if (key === 'port' || key === 'bind_address' || key === 'pid_file' || key === 'user') {
      // Dropped: the listener line carries port and address; we track the process by its PID
      // and run as the current user.
    } else if (key === 'persistence_location') {
      out.push(`persistence_location ${withSlash(options.dataDir)}`);
    } else if (key === 'persistence' && options.persistence !== undefined) {
      out.push(`persistence ${options.persistence}`);
    } else if (key === 'log_dest' && rest[0] === 'file') {
      out.push(`log_dest file ${options.logFile}`);
    } else if (key === 'log_dest' && rest[0] === 'stdout') {
      // The log file is enough for a background process; stdout would be lost or interleaved.
    } else if (PATH_OPTIONS.has(key)) {
      out.push(`${key} ${resolveConfigPath(value, options.configDir)}`);
    } else {
      out.push(raw);
    }
  }
  if (options.persistence !== undefined && !/^\s*persistence\s/m.test(text)) {
    out.push(`persistence ${options.persistence}`);
    if (!/^\s*persistence_location\s/m.test(text)) {
      out.push(`persistence_location ${withSlash(options.dataDir)}`);
    }
  }
  // Mosquitto run as root drops to the `mosquitto` user, which could not write our run directory.
  out.push('user root');
  if (options.extra) out.push(options.extra);
  return out.join('\n') + '\n';
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

/** A path from a config file, with the container's `/mosquitto/config/` moved to `configDir`. */
export function resolveConfigPath(value: string, configDir: string): string {
  const dir = withSlash(configDir);
  if (value.startsWith('/mosquitto/config/')) return dir + value.slice('/mosquitto/config/'.length);
  if (value.startsWith('/')) return value;
  return dir + value;
}
