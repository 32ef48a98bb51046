import { existsSync } from 'node:fs';

/**
 * Path of a server binary on this machine: the one `process.env[envName]` names (if it exists),
 * else the first of `candidates` that exists; `undefined` when none is installed.
 *
 * @example
 * ```ts
 * findExecutable('MOSQUITTO_BIN', ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto']);
 * ```
 */
export function findExecutable(envName: string, candidates: readonly string[]): string | undefined {
  const fromEnv = process.env[envName];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return candidates.find((path) => existsSync(path));
}
