import type { EnvGiven, EnvName, EnvSpec, EnvValues, EnvVar } from './env-var.js';

/** The environment as Node gives it (`process.env`), or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One rejected variable: which, and a sentence naming it, its value (unless secret) and what is allowed. */
export interface EnvError {
  /** The variable the user has to change. */
  readonly variable: string;
  /** `Invalid NAME="value": why. Allowed: what.` */
  readonly message: string;
}

/** What {@link parseEnv} found: every value, and every problem (not just the first). */
export interface ParsedEnv<S extends EnvSpec> {
  /** Every variable: its valid value, else its default, else `undefined`. */
  readonly values: EnvValues<S>;
  /** Only the variables set to a valid value (to tell "set to the default" from "unset"). */
  readonly given: EnvGiven<S>;
  /** Problems so far; cross-variable rules add theirs with {@link ParsedEnv.fail}. */
  readonly errors: readonly EnvError[];
  /** Settings that are valid but have no effect, worth one log line each. */
  readonly warnings: readonly string[];
  /** Records a problem with `name` (a cross-variable rule), in the same words as a bad value. */
  fail(name: EnvName<S>, reason: string): void;
  /** Records a warning. */
  warn(message: string): void;
}

/**
 * The one sentence for a bad value: names the variable, its value (hidden when secret), why it is
 * wrong and what is allowed.
 *
 * @example
 * ```ts
 * import { envErrorMessage, MQTT_BROKER_PORT } from '@ot-mqtt/app-kit';
 *
 * envErrorMessage(MQTT_BROKER_PORT, 'abc', 'not a whole number');
 * // 'Invalid MQTT_BROKER_PORT="abc": not a whole number. Allowed: a TCP port, 1-65535.'
 * ```
 */
export function envErrorMessage(v: EnvVar, value: string | undefined, reason: string): string {
  const shown = v.secret ? '(hidden)' : JSON.stringify(value);
  return `Invalid ${v.name}=${shown}: ${reason}. Allowed: ${v.allowed}.`;
}

/**
 * Validates the environment against a table. Empty values count as unset (`VAR=` in a compose file
 * or `VAR= app` in a shell usually means "use the default"). Never throws and never prints a secret;
 * the app adds its cross-variable rules with `fail`, then stops with exit code 2 if `errors` is not
 * empty (see {@link exitOnConfigErrors}).
 *
 * @example
 * ```ts
 * import { parseEnv, LOG_LEVEL, MQTT_BROKER_HOST } from '@ot-mqtt/app-kit';
 *
 * const env = parseEnv([MQTT_BROKER_HOST, LOG_LEVEL] as const, { LOG_LEVEL: 'debug' });
 * env.values.MQTT_BROKER_HOST; // 'localhost' (the default)
 * env.values.LOG_LEVEL; // 'debug'
 * env.errors; // []
 * ```
 */
export function parseEnv<const S extends EnvSpec>(spec: S, env: Env): ParsedEnv<S> {
  const errors: EnvError[] = [];
  const warnings: string[] = [];
  const values: Record<string, unknown> = {};
  const given: Record<string, unknown> = {};
  const byName = new Map<string, EnvVar>();
  for (const v of spec as readonly EnvVar[]) {
    byName.set(v.name, v);
    values[v.name] = v.default;
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    const result = v.schema.safeParse(raw);
    if (result.success) {
      values[v.name] = result.data;
      given[v.name] = result.data;
    } else
      errors.push({
        variable: v.name,
        message: envErrorMessage(v, raw, result.error.issues.map((i) => i.message).join('; ')),
      });
  }
  return {
    values: values as EnvValues<S>,
    given: given as EnvGiven<S>,
    errors,
    warnings,
    fail(name, reason) {
      const v = byName.get(name);
      if (v === undefined) throw new Error(`parseEnv: ${name} is not in the table`);
      errors.push({ variable: name, message: envErrorMessage(v, env[name], reason) });
    },
    warn(message) {
      warnings.push(message);
    },
  };
}
