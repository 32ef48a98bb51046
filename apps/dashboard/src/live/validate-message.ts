import type { ConnectionPayload, DataPayload, TagMetadata } from '@ot-mqtt/tag-model';
import { MACHINE_ID_PATTERN, TAGS } from '@ot-mqtt/tag-model';

/** A message of the data or connection topic, checked; or what is wrong with it. */
export type ValidatedMessage =
  | { readonly ok: true; readonly kind: 'data'; readonly value: DataPayload }
  | { readonly ok: true; readonly kind: 'connection'; readonly value: ConnectionPayload }
  | { readonly ok: false; readonly message: string };

// Why not tag-model's parsePayload (zod) here: zod is 24 kB of the page's 150 kB gzip budget,
// and mqtt.js alone is 99 kB. This checker reads the same single source of truth — the TAGS
// metadata the zod schemas are generated from — and validate-message.spec.ts checks with
// fast-check that it accepts and rejects exactly what parsePayload does.
const decoder = new TextDecoder('utf-8', { fatal: true });
// zod's z.iso.datetime({ precision: 3 }): a real calendar date (leap years included), UTC "Z"
// only, exactly three fraction digits.
const DATE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8])))';
const TIMESTAMP = new RegExp(`^${DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z$`, 'u');
const GROUPS = Object.entries(TAGS) as Array<[string, Record<string, TagMetadata>]>;
const ENVELOPE_KEYS = new Set(['schemaVersion', 'timestamp', 'machineId', 'sequence', 'tags']);
const CONNECTION_KEYS = new Set([
  'schemaVersion',
  'status',
  'timestamp',
  'machineId',
  'publishIntervalMs',
]);

/**
 * Decodes and validates a payload of `<root>[/<machineId>]/data` or `/connection`. Never throws;
 * the message names the field and the rule, like tag-model's `formatPayloadError`.
 */
export function validateMessage(
  kind: 'data' | 'connection',
  topicMachineId: string | undefined,
  payload: Uint8Array | string,
): ValidatedMessage {
  let text: string;
  try {
    text = typeof payload === 'string' ? payload : decoder.decode(payload);
  } catch {
    return fail('', 'payload is binary, not UTF-8 text; expected a JSON object');
  }
  if (text.trim() === '')
    return fail('', 'payload is empty (a cleared retained message?); expected a JSON object');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail('', `payload is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(data)) return fail('', 'expected a JSON object');
  const problem = kind === 'data' ? checkData(data) : checkConnection(data);
  if (problem) return fail(problem[0], problem[1]);
  const machineId = data.machineId as string;
  if (topicMachineId !== undefined && topicMachineId !== machineId) {
    return fail(
      'machineId',
      `machineId ${JSON.stringify(machineId).slice(0, 80)} does not match the topic's machine level ${JSON.stringify(topicMachineId)}`,
    );
  }
  return kind === 'data'
    ? { ok: true, kind, value: data as unknown as DataPayload }
    : { ok: true, kind, value: data as unknown as ConnectionPayload };
}

type Problem = [path: string, message: string] | undefined;

/** The fields both payloads share, and no field but `allowed`. */
function checkEnvelope(data: Record<string, unknown>, allowed: ReadonlySet<string>): Problem {
  for (const key of Object.keys(data)) if (!allowed.has(key)) return [key, `unknown field ${key}`];
  if (data.schemaVersion !== 1) return ['schemaVersion', 'schemaVersion must be 1'];
  if (typeof data.timestamp !== 'string' || !TIMESTAMP.test(data.timestamp))
    return ['timestamp', 'timestamp must be ISO-8601 UTC with milliseconds'];
  if (typeof data.machineId !== 'string' || !MACHINE_ID_PATTERN.test(data.machineId)) {
    return ['machineId', 'machineId must be 1-64 characters of letters, digits, ".", "_" or "-"'];
  }
  return undefined;
}

function checkData(data: Record<string, unknown>): Problem {
  const envelope = checkEnvelope(data, ENVELOPE_KEYS);
  if (envelope) return envelope;
  const sequence = data.sequence;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 0)
    return ['sequence', 'sequence must be a non-negative integer'];
  const tags = data.tags;
  if (!isObject(tags)) return ['tags', 'tags must be an object'];
  for (const key of Object.keys(tags))
    if (!Object.hasOwn(TAGS, key)) return [`tags.${key}`, `unknown tag group ${key}`];
  for (const [group, metas] of GROUPS) {
    const values = tags[group];
    if (!isObject(values)) return [`tags.${group}`, `tags.${group} must be an object`];
    for (const key of Object.keys(values))
      if (!Object.hasOwn(metas, key)) return [`tags.${group}.${key}`, `unknown tag ${key}`];
    for (const [name, meta] of Object.entries(metas)) {
      const value = values[name];
      const path = `tags.${group}.${name}`;
      if (meta.dataType === 'BOOL') {
        if (typeof value !== 'boolean') return [path, `${name} must be a boolean`];
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [path, `${name} must be a number`];
      if (meta.dataType === 'DINT' && !Number.isInteger(value))
        return [path, `${name} must be an integer`];
      const range = meta.range;
      if (range && (value < range.min || value > range.max)) {
        return [
          path,
          `${value} is out of range: ${name} must be within ${range.min}..${range.max}${meta.unit ? ` ${meta.unit}` : ''}`,
        ];
      }
    }
  }
  return undefined;
}

function checkConnection(data: Record<string, unknown>): Problem {
  const envelope = checkEnvelope(data, CONNECTION_KEYS);
  if (envelope) return envelope;
  if (data.status !== 'online' && data.status !== 'offline')
    return ['status', 'status must be "online" or "offline"'];
  const interval = data.publishIntervalMs;
  if (
    interval !== undefined &&
    (typeof interval !== 'number' || !Number.isSafeInteger(interval) || interval <= 0)
  ) {
    return ['publishIntervalMs', 'publishIntervalMs must be a positive integer'];
  }
  return undefined;
}

function fail(path: string, message: string): ValidatedMessage {
  return { ok: false, message: path === '' ? message : `${path}: ${message}` };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
