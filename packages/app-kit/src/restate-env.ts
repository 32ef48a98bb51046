import type { EnvName, EnvSpec, EnvValueOf, EnvVar } from './env-var.js';

/**
 * What an app may restate about a shared variable: its own words, its own default, and a narrower
 * rule — never a wider one, so every value the app accepts is one the shared rule accepts too.
 */
export interface EnvRestatement<T = unknown> {
  /** The app's own one-line meaning. */
  readonly description?: string;
  /** The app's documented default (without it, a restated `default` is documented as itself). */
  readonly defaultText?: string;
  /** The app's own default, e.g. its client id. */
  readonly default?: T;
  /** A further check on the values the shared rule accepts; `allowed` is appended to the shared text. */
  readonly refine?: {
    readonly check: (value: T) => boolean;
    /** Error message when `check` refuses a value. */
    readonly message: string;
    /** The narrowing in words, e.g. `ws/wss ones with one path`. */
    readonly allowed: string;
  };
}

/** The restatements a table accepts, keyed by variable name, each typed by its variable's value. */
export type EnvRestatements<S extends EnvSpec> = {
  readonly [N in EnvName<S>]?: EnvRestatement<EnvValueOf<Extract<S[number], { readonly name: N }>>>;
};

/** A table after {@link restateEnv}: a variable given a default never reads `undefined`. */
export type RestatedEnv<S extends EnvSpec, R> = {
  readonly [I in keyof S]: S[I] extends EnvVar<infer N, infer T>
    ? N extends keyof R
      ? R[N] extends { readonly default: unknown }
        ? S[I] & { readonly default: T }
        : S[I]
      : S[I]
    : S[I];
};

/**
 * A shared table (`MQTT_ENV`…) with some variables restated for one app — its client id default,
 * what its user name is for, a narrower URL rule — in the same order and otherwise with the same
 * rules, so the app's table can spread it instead of listing each shared variable again.
 *
 * @example
 * ```ts
 * import { MQTT_ENV, restateEnv } from '@ot-mqtt/app-kit';
 *
 * const ENV = [
 *   ...restateEnv(MQTT_ENV, {
 *     MQTT_CLIENT_ID: { default: 'my-bridge' },
 *     MQTT_KEEPALIVE: { default: 30, description: 'Keepalive of the bridge, seconds.' },
 *   }),
 * ] as const;
 * ```
 */
export function restateEnv<const S extends EnvSpec, const R extends EnvRestatements<S>>(
  spec: S,
  restatements: R,
): RestatedEnv<S, R> {
  const byName = restatements as Readonly<Record<string, EnvRestatement>>;
  return (spec as readonly EnvVar[]).map((shared) => {
    const own = byName[shared.name];
    if (own === undefined) return shared;
    const { refine, ...words } = own;
    // A shared defaultText describes the shared default: an app's own default documents itself.
    const { defaultText: _sharedText, ...rest } = shared;
    const base = own.default === undefined ? shared : rest;
    return {
      ...base,
      ...words,
      ...(refine && {
        allowed: `${shared.allowed}; ${refine.allowed}`,
        schema: shared.schema.refine(refine.check, refine.message),
      }),
    };
  }) as unknown as RestatedEnv<S, R>;
}
