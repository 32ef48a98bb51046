import { DOLLAR, matchLevels } from './internal/compiled-filter.js';
import { utf8Length } from './internal/wire.js';
import { MqttClientError } from './mqtt-client-error.js';

// MQTT §4.7.3 / §1.5.3: topic names and filters are UTF-8 strings of at most 65,535 bytes that do
// not contain U+0000.
const MAX_TOPIC_BYTES = 65_535;
// A UTF-16 code unit is at most 3 UTF-8 bytes, so anything up to this many units fits without counting.
const SURELY_SHORT_ENOUGH = Math.floor(MAX_TOPIC_BYTES / 3);

function checkString(value: unknown, what: string, code: 'INVALID_TOPIC' | 'INVALID_FILTER') {
  if (typeof value !== 'string' || value.length === 0)
    throw new MqttClientError(
      code,
      `${what} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  if (value.includes('\u0000'))
    throw new MqttClientError(code, `${what} ${JSON.stringify(value)} contains U+0000`);
  // Counted only when it could matter: this runs on every publish.
  if (value.length > SURELY_SHORT_ENOUGH && utf8Length(value) > MAX_TOPIC_BYTES)
    throw new MqttClientError(code, `${what} is longer than ${MAX_TOPIC_BYTES} bytes`);
}

/**
 * Throws an `INVALID_TOPIC` {@link MqttClientError} unless `topic` is a valid topic name to publish to
 * (non-empty, no `+` or `#` wildcards, no U+0000, at most 65,535 UTF-8 bytes).
 *
 * @example
 * ```ts
 * assertValidTopic('plc/bottlefiller/data'); // ok
 * assertValidTopic('plc/+/data');            // throws: wildcards are for subscriptions
 * ```
 */
export function assertValidTopic(topic: string): void {
  checkString(topic, 'Topic', 'INVALID_TOPIC');
  if (topic.includes('+') || topic.includes('#'))
    throw new MqttClientError(
      'INVALID_TOPIC',
      `Topic ${JSON.stringify(topic)} contains a wildcard (+ or #): wildcards are only allowed in subscription filters`,
    );
}

/**
 * Throws an `INVALID_FILTER` {@link MqttClientError} unless `filter` is a valid subscription filter:
 * `+` only as a whole level, `#` only as the whole last level, and `$share/<group>/<filter>` with a
 * non-empty group name free of wildcards.
 *
 * @example
 * ```ts
 * assertValidFilter('plc/bottlefiller/#');        // ok
 * assertValidFilter('$share/historians/plc/+/data'); // ok
 * assertValidFilter('plc/#/data');                 // throws
 * ```
 */
export function assertValidFilter(filter: string): void {
  checkString(filter, 'Filter', 'INVALID_FILTER');
  const bad = (why: string) =>
    new MqttClientError('INVALID_FILTER', `Filter ${JSON.stringify(filter)} is invalid: ${why}`);
  let inner = filter;
  if (filter.startsWith('$share/')) {
    const rest = filter.slice('$share/'.length);
    const slash = rest.indexOf('/');
    const group = slash < 0 ? rest : rest.slice(0, slash);
    if (group.length === 0 || slash < 0 || slash === rest.length - 1)
      throw bad('a shared subscription is $share/<group>/<filter>');
    if (group.includes('+') || group.includes('#'))
      throw bad('the share group name must not contain + or #');
    inner = rest.slice(slash + 1);
  }
  const levels = inner.split('/');
  levels.forEach((level, i) => {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
      throw bad('# must be the whole last level (e.g. a/b/#)');
    if (level.includes('+') && level !== '+') throw bad('+ must be a whole level (e.g. a/+/c)');
  });
}

/**
 * The filter a broker matches topics against: `$share/<group>/<filter>` → `<filter>`, any other
 * filter unchanged.
 *
 * @example
 * ```ts
 * matchingPart('$share/g/plc/#'); // 'plc/#'
 * ```
 */
export function matchingPart(filter: string): string {
  if (!filter.startsWith('$share/')) return filter;
  const rest = filter.slice('$share/'.length);
  return rest.slice(rest.indexOf('/') + 1);
}

/**
 * Whether `topic` matches subscription `filter` by the MQTT rules (§4.7): `+` matches exactly one
 * level, `#` the parent and any number of levels below, and topics beginning with `$` are not
 * matched by a filter that begins with a wildcard. `$share/<group>/` prefixes are ignored.
 *
 * @example
 * ```ts
 * topicMatches('plc/bottlefiller/#', 'plc/bottlefiller/f1/inputs'); // true
 * topicMatches('plc/+/inputs', 'plc/bottlefiller/f1/inputs');       // false
 * topicMatches('#', '$SYS/broker/uptime');                          // false
 * ```
 */
export function topicMatches(filter: string, topic: string): boolean {
  const f = matchingPart(filter);
  if (f === topic) return true;
  if (topic.charCodeAt(0) === DOLLAR && (f.startsWith('+') || f.startsWith('#'))) return false;
  return matchLevels(f.split('/'), topic);
}
