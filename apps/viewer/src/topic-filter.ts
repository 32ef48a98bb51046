/**
 * MQTT topic filter and topic name checks, done at start-up so a typo in `VIEWER_TOPIC` or
 * `TOPIC_ROOT` stops the viewer with exit code 2 instead of a SUBACK failure later.
 */

/**
 * Why a topic filter is not valid (MQTT 3.1.1 §4.7.1, MQTT 5 §4.8.2 for `$share`), or `undefined`
 * when it is.
 */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'a topic filter must not be empty';
  if (filter.includes('\u0000')) return 'a topic filter must not contain NUL';
  if (Buffer.byteLength(filter, 'utf8') > 65_535) return 'a topic filter is at most 65535 bytes';
  let levels = filter.split('/');
  if (levels[0] === '$share') {
    const group = levels[1];
    if (group === undefined || group === '' || /[+#]/.test(group))
      return 'a shared subscription is $share/<group>/<filter> with a group name without + or #';
    levels = levels.slice(2);
    if (levels.length === 0 || (levels.length === 1 && levels[0] === ''))
      return 'a shared subscription needs a filter after $share/<group>/';
  }
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1))
      return "'#' must be a whole level and the last one";
    if (level.includes('+') && level !== '+') return "'+' must be a whole level";
  }
  return undefined;
}

/** Why a topic root (a topic name prefix, no wildcards) is not valid, or `undefined` when it is. */
export function topicRootProblem(root: string): string | undefined {
  if (root.length === 0) return 'the topic root must not be empty';
  if (/[+#]/.test(root) || root.includes('\u0000'))
    return 'the topic root must not contain +, # or NUL';
  if (root.startsWith('/') || root.endsWith('/'))
    return 'the topic root must not start or end with /';
  if (root.split('/').some((l) => l === '')) return 'the topic root must not contain empty levels';
  return undefined;
}
