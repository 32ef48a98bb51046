import { readFile } from 'node:fs/promises';
import type { ViewerConfig } from './config.js';

/** Contents of the files the configuration names (password, CA, client certificate and key). */
export interface ConfigFiles {
  /** Password from `MQTT_PASSWORD` or the first line of `MQTT_PASSWORD_FILE`. */
  readonly password: string | undefined;
  /** CA certificate(s), PEM. */
  readonly ca: Buffer | undefined;
  /** Client certificate, PEM. */
  readonly cert: Buffer | undefined;
  /** Client private key, PEM. */
  readonly key: Buffer | undefined;
}

/** Outcome of {@link loadConfigFiles}: the contents, or one message per unreadable file. */
export type ConfigFilesResult =
  | { readonly ok: true; readonly files: ConfigFiles }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Reads the files the configuration names. An unreadable or empty file is reported naming its
 * variable and path (the path is not secret; the contents are never printed).
 */
export async function loadConfigFiles(
  config: ViewerConfig,
  read: (path: string) => Promise<Buffer> = (path) => readFile(path),
): Promise<ConfigFilesResult> {
  const errors: string[] = [];
  const load = async (name: string, path: string | undefined): Promise<Buffer | undefined> => {
    if (path === undefined) return undefined;
    try {
      const content = await read(path);
      if (content.length === 0) errors.push(`${name}=${JSON.stringify(path)} is empty`);
      return content;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
      errors.push(`${name}=${JSON.stringify(path)} cannot be read: ${why}`);
      return undefined;
    }
  };
  const [passwordFile, ca, cert, key] = await Promise.all([
    load('MQTT_PASSWORD_FILE', config.passwordFile),
    load('MQTT_CA_FILE', config.caFile),
    load('MQTT_CERT_FILE', config.certFile),
    load('MQTT_KEY_FILE', config.keyFile),
  ]);
  // Like mosquitto_passwd and docker secrets: the first line is the password, the newline is not.
  const fromFile = passwordFile?.toString('utf8').split(/\r?\n/)[0];
  if (passwordFile !== undefined && passwordFile.length > 0 && !fromFile)
    errors.push(
      `MQTT_PASSWORD_FILE=${JSON.stringify(config.passwordFile)} has an empty first line`,
    );
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, files: { password: config.password ?? fromFile, ca, cert, key } };
}
