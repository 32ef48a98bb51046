import type { EnvError } from './parse-env.js';

/** Exit code of an app that refuses to start with its configuration (like `sysexits`' EX_USAGE tools). */
export const EXIT_CONFIG = 2;

/** Where {@link exitOnConfigErrors} writes and how it exits; replaced in tests. */
export interface ExitIo {
  /** Writes one line to stderr (without the newline). */
  readonly error: (line: string) => void;
  /** Ends the process. */
  readonly exit: (code: number) => void;
}

const processIo: ExitIo = {
  error: (line) => process.stderr.write(line + '\n'),
  exit: (code) => process.exit(code),
};

/**
 * Stops the app with exit code 2 when there is any configuration error: one line per error on
 * stderr, prefixed with the app's name, then where to look. Returns (doing nothing) when there is
 * none. Every error is printed, not just the first, so a user fixes them in one go.
 *
 * @example
 * ```ts
 * import { exitOnConfigErrors, MQTT_ENV, parseEnv } from '@ot-mqtt/app-kit';
 *
 * const parsed = parseEnv(MQTT_ENV, process.env);
 * exitOnConfigErrors('my-bridge', parsed.errors);
 * ```
 */
export function exitOnConfigErrors(
  app: string,
  errors: readonly (EnvError | string)[],
  io: ExitIo = processIo,
): void {
  if (errors.length === 0) return;
  for (const error of errors)
    io.error(`${app}: ${typeof error === 'string' ? error : error.message}`);
  io.error(`${app}: not started; see --help for every variable, its default and what is allowed.`);
  io.exit(EXIT_CONFIG);
}
