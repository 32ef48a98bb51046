import type { z } from 'zod';

/**
 * One environment variable an app reads: how it is validated, what happens when it is unset, and
 * how `--help` and the docs describe it. One table of these is the app's whole configuration
 * surface: {@link parseEnv} validates with it, {@link formatEnvHelp} and {@link formatEnvTable}
 * describe it, so the three cannot drift apart.
 *
 * @example
 * ```ts
 * import { envVar, wholeNumber } from '@ot-mqtt/app-kit';
 *
 * const GATEWAY_PORT = envVar({
 *   name: 'GATEWAY_PORT',
 *   group: 'HTTP',
 *   description: 'Port of the REST API.',
 *   allowed: 'a TCP port, 1-65535',
 *   schema: wholeNumber(1, 65535),
 *   default: 8080,
 * });
 * ```
 */
export interface EnvVar<N extends string = string, T = unknown> {
  /** Exact variable name (names are a contract with users' compose files: never rename one). */
  readonly name: N;
  /** Heading it is listed under in `--help` and the docs, e.g. `Broker`. */
  readonly group: string;
  /** What the variable does, one line. */
  readonly description: string;
  /** What values are allowed, in words; repeated in every error message about this variable. */
  readonly allowed: string;
  /** Secret values are never printed: not in errors, not in `--help`, not in logs. */
  readonly secret?: boolean;
  /** Parses the raw text (never called with an empty string: empty counts as unset). */
  readonly schema: z.ZodType<T, string>;
  /** The value used when the variable is unset; without one, an unset variable reads `undefined`. */
  readonly default?: T;
  /**
   * The default as documented, when `String(default)` does not say it all: `'2.0'`,
   * `'1883 (8883 with MQTT_TLS=true)'`, `'(none: anonymous)'`. When `default` is set too, the text
   * before the first ` (` must parse to `default` — {@link envSpecProblems} checks it.
   */
  readonly defaultText?: string;
}

/** An {@link EnvVar} with a default: it never reads `undefined`. */
export type EnvVarWithDefault<N extends string = string, T = unknown> = EnvVar<N, T> & {
  readonly default: T;
};

/** A whole table of variables, in the order `--help` lists them. */
export type EnvSpec = readonly EnvVar<string, never>[] | readonly EnvVar[];

/** The names of a table's variables. */
export type EnvName<S extends EnvSpec> = S[number]['name'];

/** The type a variable's schema parses to. */
export type EnvValueOf<V> = V extends EnvVar<string, infer T> ? T : never;

/** Every variable of a table with its value: `undefined` only where unset and without a default. */
export type EnvValues<S extends EnvSpec> = {
  readonly [V in S[number] as V['name']]: V extends { readonly default: unknown }
    ? EnvValueOf<V>
    : EnvValueOf<V> | undefined;
};

/** The variables of a table that were set to a valid value (no defaults applied). */
export type EnvGiven<S extends EnvSpec> = {
  readonly [V in S[number] as V['name']]?: EnvValueOf<V>;
};

/**
 * Declares one variable; `name` keeps its literal type so {@link EnvValues} can key by it.
 *
 * @example
 * ```ts
 * import { envVar, oneOf } from '@ot-mqtt/app-kit';
 *
 * const MODE = envVar({
 *   name: 'VIEWER_MODE',
 *   group: 'Output',
 *   description: 'How messages are shown.',
 *   allowed: 'pretty, summary or ndjson',
 *   schema: oneOf(['pretty', 'summary', 'ndjson'] as const),
 *   default: 'pretty' as const,
 * });
 * ```
 */
export function envVar<const N extends string, T>(
  // The schema alone says what T is: a default of `1` must not widen `0 | 1` to `number`.
  spec: Omit<EnvVar<N, T>, 'default'> & { readonly default: NoInfer<T> },
): EnvVarWithDefault<N, T>;
export function envVar<const N extends string, T>(spec: EnvVar<N, T>): EnvVar<N, T>;
export function envVar<const N extends string, T>(spec: EnvVar<N, T>): EnvVar<N, T> {
  return spec;
}

/** The default as `--help` and the docs print it. */
export function documentedDefault(v: EnvVar): string {
  if (v.defaultText !== undefined) return v.defaultText;
  return v.default === undefined ? '(unset)' : String(v.default);
}

/**
 * What is wrong with a table: duplicate names, and documented defaults that are not the real ones.
 * Meant for a unit test of each app (`expect(envSpecProblems(ENV)).toEqual([])`).
 *
 * @example
 * ```ts
 * import { envSpecProblems, MQTT_BROKER_PORT } from '@ot-mqtt/app-kit';
 *
 * console.log(envSpecProblems([MQTT_BROKER_PORT])); // []
 * ```
 */
export function envSpecProblems(spec: EnvSpec): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const v of spec as readonly EnvVar[]) {
    if (seen.has(v.name)) problems.push(`${v.name} is listed twice`);
    seen.add(v.name);
    if (v.default === undefined) continue;
    const text = documentedDefault(v);
    const token = text.split(' (')[0]!;
    const parsed = v.schema.safeParse(token);
    if (!parsed.success || JSON.stringify(parsed.data) !== JSON.stringify(v.default))
      problems.push(
        `${v.name}: the documented default ${JSON.stringify(text)} is not the real default ${JSON.stringify(v.default)}`,
      );
  }
  return problems;
}
