import { pbkdf2Sync, randomBytes } from 'node:crypto';

/** Iterations Mosquitto 2.0's `mosquitto_passwd` uses for its `$7$` (PBKDF2-SHA512) hashes. */
const ITERATIONS = 101;

/**
 * One line of a Mosquitto password file, `user:$7$101$<salt>$<hash>` — the format `mosquitto_passwd`
 * writes (PBKDF2-SHA512, 12-byte salt, 64-byte key, base64).
 *
 * Computed here rather than by running `mosquitto_passwd -b`, whose command line would show the
 * password to every user of the machine (`ps`), and so that the setup works where only Docker has
 * Mosquitto.
 *
 * @example
 * ```ts
 * const line = mosquittoPasswordLine('agent', 'correct horse battery staple');
 * // agent:$7$101$...$...
 * ```
 */
export function mosquittoPasswordLine(
  username: string,
  password: string,
  salt: Uint8Array = randomBytes(12),
): string {
  if (username === '' || /[:\s]/.test(username))
    throw new Error(`mosquittoPasswordLine: invalid user name "${username}" (no ':' or spaces)`);
  const hash = pbkdf2Sync(password, salt, ITERATIONS, 64, 'sha512');
  return `${username}:$7$${ITERATIONS}$${Buffer.from(salt).toString('base64')}$${hash.toString('base64')}`;
}

/**
 * A random password of 24 characters from an alphabet without look-alikes or shell-special
 * characters (~140 bits), safe to paste into an env file or a YAML value.
 */
export function generatePassword(length = 24): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 57).
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}
