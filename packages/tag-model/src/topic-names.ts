/**
 * The one rule for machine ids and topic roots, used by the schemas, the encoder, the topic
 * builders and the apps' configuration alike.
 */

/**
 * A machine id: 1 to 64 letters, digits, `.`, `_` or `-`. It is written into every payload and is
 * the machine level of fleet topics, so it never holds `/`, `+`, `#`, spaces or control characters.
 * A `.` is valid MQTT but not portable to NATS before 2.10 (see {@link natsPortabilityProblem}).
 */
export const MACHINE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/u;

/** Longest topic root accepted, in characters: topics stay readable and far below MQTT's 64 KiB. */
export const MAX_TOPIC_ROOT_LENGTH = 200;

/**
 * Why `machineId` is not a valid machine id, or `undefined` when it is.
 *
 * @param machineId - Candidate id.
 * @returns A sentence saying what is wrong, for an error message.
 *
 * @example
 * ```ts
 * import { machineIdProblem } from '@ot-mqtt/tag-model';
 * machineIdProblem('filler-01'); // undefined
 * machineIdProblem('line 2/filler'); // 'must be 1-64 characters of letters, digits, ".", "_" or "-"'
 * ```
 */
export function machineIdProblem(machineId: string): string | undefined {
  return MACHINE_ID_PATTERN.test(machineId)
    ? undefined
    : 'must be 1-64 characters of letters, digits, ".", "_" or "-"';
}

/**
 * Why `root` is not a valid topic root, or `undefined` when it is. A root is a topic name prefix:
 * one or more non-empty levels separated by `/`, without wildcards (`+`, `#`), NUL or a leading
 * `$` (topics starting with `$` belong to the broker, and a `#` subscription does not see them,
 * MQTT 3.1.1 §4.7.2), at most {@link MAX_TOPIC_ROOT_LENGTH} characters.
 *
 * @param root - Candidate root, e.g. `plc/bottlefiller`.
 * @returns A sentence saying what is wrong, for an error message.
 *
 * @example
 * ```ts
 * import { topicRootProblem } from '@ot-mqtt/tag-model';
 * topicRootProblem('site-a/line-3'); // undefined
 * topicRootProblem('plc/#'); // 'must not contain a wildcard (+ or #) or NUL'
 * ```
 */
export function topicRootProblem(root: string): string | undefined {
  if (root.length === 0) return 'must not be empty';
  if (root.length > MAX_TOPIC_ROOT_LENGTH)
    return `must be at most ${MAX_TOPIC_ROOT_LENGTH} characters`;
  if (/[+#]/u.test(root) || root.includes('\u0000'))
    return 'must not contain a wildcard (+ or #) or NUL';
  if (root.startsWith('$')) return 'must not start with $ (reserved for the broker)';
  if (root.split('/').some((level) => level === ''))
    return 'must not have an empty topic level (leading, trailing or double /)';
  return undefined;
}

/**
 * Why a topic, topic root or machine id would not work on a NATS server's MQTT gateway, or
 * `undefined` when it would. NATS maps topic levels to subject tokens: a space is refused by every
 * version, and a `.` by NATS before 2.10 — either closes the client's connection; a `$share/`
 * filter is accepted and receives nothing. All are valid MQTT, so the tag model accepts them; call
 * this to warn before a user finds out from a closed connection or a silent subscription
 * (docs/cluster.md lists what a NATS cluster does not carry).
 *
 * @param name - A topic, topic root or machine id.
 * @returns A sentence naming the character and the consequence.
 *
 * @example
 * ```ts
 * import { natsPortabilityProblem } from '@ot-mqtt/tag-model';
 * natsPortabilityProblem('plc/bottlefiller'); // undefined
 * natsPortabilityProblem('line.2'); // 'contains ".", which NATS before 2.10 …'
 * ```
 */
export function natsPortabilityProblem(name: string): string | undefined {
  // Measured on NATS 2.9 (infra/nats-cluster): SUBACK granted, nothing ever delivered — no error
  // for the client to report, so a warning at start is the only place a user learns it.
  if (name.startsWith('$share/'))
    return 'is a shared subscription ($share/), which a NATS MQTT gateway accepts and never delivers to';
  if (/\s/u.test(name))
    return 'contains a space, which a NATS MQTT gateway refuses (it closes the connection)';
  if (name.includes('.'))
    return 'contains ".", which a NATS MQTT gateway before 2.10 refuses (it closes the connection)';
  return undefined;
}

/**
 * One warning per setting whose value {@link natsPortabilityProblem} finds fault with, naming the
 * setting and its value — for an app to log at start instead of refusing a value that is valid
 * MQTT and works on Mosquitto.
 *
 * @param settings - Setting name → value, e.g. `{ TOPIC_ROOT: 'site.a/line' }`.
 * @returns The warnings, in the order given; empty when every value is portable.
 *
 * @example
 * ```ts
 * import { natsPortabilityWarnings } from '@ot-mqtt/tag-model';
 * natsPortabilityWarnings({ TOPIC_ROOT: 'site.a/line' });
 * // ['TOPIC_ROOT="site.a/line" contains ".", which a NATS MQTT gateway before 2.10 refuses (…); fine on Mosquitto']
 * ```
 */
export function natsPortabilityWarnings(settings: Readonly<Record<string, string>>): string[] {
  return Object.entries(settings).flatMap(([name, value]) => {
    const why = natsPortabilityProblem(value);
    return why === undefined ? [] : [`${name}=${JSON.stringify(value)} ${why}; fine on Mosquitto`];
  });
}
