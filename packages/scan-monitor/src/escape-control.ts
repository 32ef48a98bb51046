// C0 controls, DEL, C1 controls (U+009B is a one-character CSI on many terminals), the line and
// paragraph separators, and the bidirectional overrides and isolates that reorder what is shown
// ("Trojan Source", CVE-2021-42574).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
// eslint-disable-next-line no-control-regex -- as above
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
// Characters JSON.stringify leaves raw although a terminal acts on them (it escapes only < U+0020).
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes a string that came from the wire (topic, JSON key, error text, broker reason) safe to
 * print on a terminal or in a log line: every control character is shown as an escape (`\x1b`,
 * `\r`, `\n`, `\u202e`), so a publisher cannot clear the screen, retitle the window, move the
 * cursor or forge a log line. Printable text, including non-ASCII letters, is unchanged.
 *
 * @param text - Untrusted text.
 * @returns The text with control characters escaped; the same string when there were none.
 *
 * @example
 * ```ts
 * import { escapeControl } from '@ot-mqtt/scan-monitor';
 * escapeControl('tags.\u001b[2J'); // 'tags.\\x1b[2J'
 * escapeControl('line\rforged'); // 'line\\rforged'
 * ```
 */
export function escapeControl(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escapeOne) : text;
}

/**
 * Makes a JSON text terminal-safe while keeping it valid JSON with the same value: the characters
 * `JSON.stringify` leaves raw but terminals act on (DEL, C1 controls such as U+009B, line
 * separators, bidi overrides) become `\uXXXX` escapes. Use it on NDJSON lines and on payload text
 * passed on as received.
 *
 * @param json - A JSON text.
 * @returns The same JSON value, with no raw control character.
 *
 * @example
 * ```ts
 * import { escapeJsonControl } from '@ot-mqtt/scan-monitor';
 * const line = escapeJsonControl(JSON.stringify({ key: 'a\u009b2J' })); // '{"key":"a\\u009b2J"}'
 * JSON.parse(line).key === 'a\u009b2J'; // true
 * ```
 */
export function escapeJsonControl(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  return JSON_UNSAFE.test(json)
    ? json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}
