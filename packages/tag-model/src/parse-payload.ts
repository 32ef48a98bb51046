import type { z } from 'zod';
import { PAYLOAD_SCHEMAS, type PayloadByKind } from './payloads.js';
import { TAGS, type TagMetadata } from './tags.js';
import { DEFAULT_TOPIC_ROOT, MESSAGE_KINDS, parseTopic, type MessageKind } from './topics.js';

/** One thing wrong with a payload. */
export interface PayloadIssue {
  /**
   * Dotted path of the offending field, e.g. `tags.analog.FillLevel` on the data topic or
   * `tags.FillLevel` on the analog topic; empty when the payload as a whole is wrong (not JSON,
   * binary, empty, unknown topic).
   */
  readonly path: string;
  /** What was wrong, in words a controls engineer can act on. */
  readonly message: string;
}

/** Why a payload was rejected: the first issue, with the topic, plus every issue found. */
export interface PayloadError extends PayloadIssue {
  /** Topic the payload arrived on. */
  readonly topic: string;
  /** Every issue found (the first one is repeated in `path`/`message`). */
  readonly issues: readonly PayloadIssue[];
}

/** A payload that passed its schema. */
export interface ParseSuccess<K extends MessageKind> {
  /** Discriminant. */
  readonly ok: true;
  /** Which message it is. */
  readonly kind: K;
  /** The envelope's machine id. */
  readonly machineId: string;
  /** The validated payload. */
  readonly value: PayloadByKind[K];
  /**
   * The payload as text (decoded once here when it came as bytes), for consumers that pass it on
   * as received, e.g. NDJSON, without serialising `value` again.
   */
  readonly text: string;
}

/** A payload that was rejected; nothing was thrown. */
export interface ParseFailure {
  /** Discriminant. */
  readonly ok: false;
  /** What was wrong. */
  readonly error: PayloadError;
  /** The payload as text when it was UTF-8 (absent for binary payloads and unknown topics). */
  readonly text?: string;
}

/**
 * Result of the `parse…` helpers: narrow on `ok`, then on `kind`.
 *
 * @typeParam K - The message kinds the result can hold.
 */
export type ParseResult<K extends MessageKind = MessageKind> =
  (K extends MessageKind ? ParseSuccess<K> : never) | ParseFailure;

/** Options of {@link parsePayload}. */
export interface ParsePayloadOptions {
  /** Topic root the publisher used (default `plc/bottlefiller`). */
  readonly root?: string;
}

/** Options of the per-kind helpers such as {@link parseAnalogPayload}. */
export interface ParseKindOptions {
  /** Topic to name in errors, and to check the machine level against (default: the kind's standard topic). */
  readonly topic?: string;
  /** Topic root, used to read the machine level of `topic` (default `plc/bottlefiller`). */
  readonly root?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function failure(topic: string, issues: PayloadIssue[], text?: string): ParseFailure {
  const first = issues[0] ?? { path: '', message: 'invalid payload' };
  const error = { topic, path: first.path, message: first.message, issues };
  return text === undefined ? { ok: false, error } : { ok: false, error, text };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `number ${value}`;
    case 'boolean':
      return `boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function tagMetadata(path: readonly PropertyKey[], kind: MessageKind): TagMetadata | undefined {
  if (path[0] !== 'tags') return undefined;
  const [group, name] = kind === 'data' ? [path[1], path[2]] : [kind, path[1]];
  const groupTags = (TAGS as Record<PropertyKey, Record<PropertyKey, TagMetadata> | undefined>)[
    group as PropertyKey
  ];
  return name === undefined ? undefined : groupTags?.[name as PropertyKey];
}

function valueAt(
  root: unknown,
  path: readonly PropertyKey[],
): { present: boolean; value: unknown } {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) {
      return { present: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: current };
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'a boolean (BOOL)',
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  object: 'an object',
};

function issueMessages(issue: z.core.$ZodIssue, data: unknown, kind: MessageKind): PayloadIssue[] {
  const path = issue.path.map(String).join('.');
  const isTag = issue.path[0] === 'tags' && issue.path.length > 1;
  const meta = tagMetadata(issue.path, kind);
  const what = isTag && meta ? 'tag' : 'field';

  switch (issue.code) {
    case 'invalid_type': {
      const found = valueAt(data, issue.path);
      if (!found.present) {
        return [{ path, message: `missing ${what} ${String(issue.path.at(-1) ?? '')}`.trimEnd() }];
      }
      const expected =
        issue.expected === 'int' && meta?.dataType === 'DINT'
          ? 'an integer (DINT)'
          : issue.expected === 'number' && meta?.dataType === 'REAL'
            ? 'a finite number (REAL)'
            : (TYPE_WORDS[issue.expected] ?? issue.expected);
      return [{ path, message: `expected ${expected}, got ${describeValue(found.value)}` }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: path === '' ? key : `${path}.${key}`,
        message:
          path === 'tags' || (kind === 'data' && issue.path[0] === 'tags')
            ? `unknown tag ${key}: not in the bottle-filler tag model`
            : `unknown field ${key}`,
      }));
    case 'too_big':
    case 'too_small': {
      const found = valueAt(data, issue.path).value;
      if (meta?.range) {
        const unit = meta.unit ? ` ${meta.unit}` : '';
        return [
          {
            path,
            message: `${String(found)} is out of range: ${String(issue.path.at(-1))} must be within ${meta.range.min}..${meta.range.max}${unit}`,
          },
        ];
      }
      return [{ path, message: `${describeValue(found)}: ${issue.message}` }];
    }
    case 'invalid_value': {
      const found = valueAt(data, issue.path).value;
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [{ path, message: `expected ${allowed}, got ${describeValue(found)}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function decode(
  payload: string | Uint8Array,
): { ok: true; text: string } | { ok: false; message: string } {
  if (typeof payload === 'string') return { ok: true, text: payload };
  try {
    return { ok: true, text: decoder.decode(payload) };
  } catch {
    return {
      ok: false,
      message: `payload is binary, not UTF-8 text (${payload.byteLength} bytes); expected a JSON object`,
    };
  }
}

/** Validates `payload` as a message of `kind` (topic and machine id already known); never throws. */
export function parseAs<K extends MessageKind>(
  kind: K,
  topic: string,
  topicMachineId: string | undefined,
  payload: string | Uint8Array,
): ParseResult<K> {
  const decoded = decode(payload);
  if (!decoded.ok) return failure(topic, [{ path: '', message: decoded.message }]);
  const text = decoded.text;
  // Not `text.trim() === ''`: that copies every payload to answer a question its first character settles.
  if (!/\S/u.test(text)) {
    // A zero-length retained message is how MQTT clears a retained topic: name that, not "bad JSON".
    return failure(
      topic,
      [
        {
          path: '',
          message: 'payload is empty (a cleared retained message?); expected a JSON object',
        },
      ],
      text,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return failure(topic, [{ path: '', message: `payload is not JSON: ${detail}` }], text);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return failure(
      topic,
      [{ path: '', message: `expected a JSON object, got ${describeValue(data)}` }],
      text,
    );
  }

  const schema = PAYLOAD_SCHEMAS[kind] as unknown as z.ZodType<PayloadByKind[K]>;
  const result = schema.safeParse(data);
  if (!result.success) {
    return failure(
      topic,
      result.error.issues.flatMap((issue) => issueMessages(issue, data, kind)),
      text,
    );
  }
  const value = result.data;
  const machineId = (value as { machineId: string }).machineId;
  if (topicMachineId !== undefined && topicMachineId !== machineId) {
    return failure(
      topic,
      [
        {
          path: 'machineId',
          message: `machineId ${JSON.stringify(machineId)} does not match the topic's machine level ${JSON.stringify(topicMachineId)}`,
        },
      ],
      text,
    );
  }
  return { ok: true, kind, machineId, value, text } as ParseResult<K>;
}

/**
 * Parses and validates any message received under the bottle-filler root: works out the kind from
 * the topic, decodes UTF-8, parses JSON and checks the payload against its schema. It never throws:
 * bad input gives `{ ok: false, error }` naming the topic, the tag path and what was wrong.
 *
 * @param topic - The topic the message arrived on.
 * @param payload - The raw payload (MQTT delivers bytes; text is accepted too).
 * @param options - Custom topic root.
 * @returns The validated payload with its kind and machine id, or the error.
 *
 * @example
 * ```ts
 * import { parsePayload } from '@ot-mqtt/tag-model';
 * const result = parsePayload('plc/bottlefiller/analog', '{"schemaVersion":1}');
 * if (result.ok) {
 *   if (result.kind === 'analog') console.log(result.value.tags.FillLevel);
 * } else {
 *   console.warn(`${result.error.topic} ${result.error.path}: ${result.error.message}`);
 *   // plc/bottlefiller/analog timestamp: missing field timestamp
 * }
 * ```
 */
export function parsePayload(
  topic: string,
  payload: string | Uint8Array,
  options?: ParsePayloadOptions,
): ParseResult {
  const root = options?.root ?? DEFAULT_TOPIC_ROOT;
  const parsed = parseTopic(topic, root);
  if (!parsed) {
    return failure(topic, [
      {
        path: '',
        message: `not a bottle-filler topic: expected ${root}/<kind> or ${root}/<machineId>/<kind>, kind one of ${MESSAGE_KINDS.join(', ')}`,
      },
    ]);
  }
  return parseAs(parsed.kind, topic, parsed.machineId, payload);
}

/**
 * Formats a {@link PayloadError} as one log line: topic, path and message.
 *
 * @param error - The error from a `parse…` helper.
 * @returns e.g. `plc/bottlefiller/analog tags.FillLevel: 120 is out of range: FillLevel must be within 0..100 %`.
 *
 * @example
 * ```ts
 * import { formatPayloadError, parsePayload } from '@ot-mqtt/tag-model';
 * const r = parsePayload('plc/bottlefiller/status', 'not json');
 * if (!r.ok) console.warn(formatPayloadError(r.error));
 * ```
 */
export function formatPayloadError(error: PayloadError): string {
  const extra = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  return `${error.topic}${error.path ? ` ${error.path}` : ''}: ${error.message}${extra}`;
}
