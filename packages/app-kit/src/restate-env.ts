import type { EnvName, EnvSpec, EnvVar } from './env-var.js';

/** What an app may say in its own words about a shared variable: never its rule or its default. */
export type EnvWording = Partial<Pick<EnvVar, 'description' | 'defaultText'>>;

/**
 * A shared table (`MQTT_ENV`…) with some variables described in an app's own words — its client
 * id default, what its user name is for — in the same order and with the same rules, so the
 * app's table can spread it instead of listing each shared variable again.
 *
 * @example
 * ```ts
 * import { MQTT_ENV, restateEnv } from '@ot-mqtt/app-kit';
 *
 * const ENV = [
 *   ...restateEnv(MQTT_ENV, { MQTT_CLIENT_ID: { defaultText: 'my-bridge' } }),
 * ] as const;
 * ```
 */
export function restateEnv<const S extends EnvSpec>(
  spec: S,
  wording: { readonly [N in EnvName<S>]?: EnvWording },
): S {
  const words = wording as Readonly<Record<string, EnvWording>>;
  return (spec as readonly EnvVar[]).map((v) =>
    words[v.name] === undefined ? v : { ...v, ...words[v.name] },
  ) as unknown as S;
}
