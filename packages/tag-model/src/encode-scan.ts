import { DEFAULT_TOPIC_ROOT, connectionTopic, topicFor } from './topics.js';
import { SCHEMA_VERSION, type ConnectionStatus } from './payloads.js';
import { TAGS, TAG_GROUP_NAMES, type TagMetadata } from './tag-metadata.js';
import type { BottleFillerTags } from './tags.js';
import { machineIdProblem } from './topic-names.js';

/** Envelope fields and topic layout for {@link encodeScan}. */
export interface ScanMeta {
  /** Machine id written into every envelope (`filler-01` in the single-machine setup). */
  readonly machineId: string;
  /** Scan number, shared by the seven messages; integer ≥ 0, +1 per scan. */
  readonly sequence: number;
  /** Time of the scan; a `Date`, or an ISO-8601 UTC string with milliseconds. */
  readonly timestamp: Date | string;
  /** Topic root (default `plc/bottlefiller`). */
  readonly root?: string;
  /** Insert the machine id as a topic level (`<root>/<machineId>/<kind>`), for fleets (default false). */
  readonly includeMachineLevel?: boolean;
}

/** One MQTT message ready to publish: a topic and its UTF-8 JSON payload. */
export interface EncodedMessage {
  /** Topic to publish on. */
  readonly topic: string;
  /** JSON text of the payload. */
  readonly payload: string;
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/u;

interface FieldPlan {
  readonly path: string;
  readonly name: string;
  /** `"Name":` — precomputed so the hot loop only concatenates. */
  readonly key: string;
  readonly meta: TagMetadata;
}

// The tag model is fixed, so the serialisation plan is computed once. Tags are written in the
// model's order whatever the key order of the caller's object, so payloads are byte-stable.
const PLAN: ReadonlyArray<{ group: keyof BottleFillerTags; key: string; fields: FieldPlan[] }> =
  TAG_GROUP_NAMES.map((group) => ({
    group,
    key: `${JSON.stringify(group)}:`,
    fields: Object.entries(TAGS[group] as Record<string, TagMetadata>).map(([name, meta]) => ({
      path: `tags.${group}.${name}`,
      name,
      key: `${JSON.stringify(name)}:`,
      meta,
    })),
  }));

function encodeValue(value: unknown, field: FieldPlan): string {
  const { meta } = field;
  if (meta.dataType === 'BOOL') {
    if (value === true) return 'true';
    if (value === false) return 'false';
    throw new TypeError(`encodeScan: ${field.path} must be a boolean, got ${describe(value)}`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(
      `encodeScan: ${field.path} must be a finite number, got ${describe(value)}`,
    );
  }
  if (meta.dataType === 'DINT' && !Number.isInteger(value)) {
    throw new TypeError(`encodeScan: ${field.path} must be an integer (DINT), got ${value}`);
  }
  const range = meta.range;
  if (range && (value < range.min || value > range.max)) {
    throw new RangeError(
      `encodeScan: ${field.path} = ${value} is outside its engineering range ${range.min}..${range.max} ${meta.unit ?? ''}`.trimEnd(),
    );
  }
  // For finite numbers, String() is exactly the JSON number text (ECMA-262 Number::toString).
  return String(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined (missing tag)';
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return typeof value;
}

function encodeGroup(
  values: Readonly<Record<string, unknown>> | undefined,
  plan: (typeof PLAN)[number],
): string {
  if (values === null || typeof values !== 'object') {
    throw new TypeError(
      `encodeScan: tags.${plan.group} must be an object, got ${describe(values)}`,
    );
  }
  let out = '{';
  const { fields } = plan;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as FieldPlan;
    if (i > 0) out += ',';
    out += field.key + encodeValue(values[field.name], field);
  }
  return `${out}}`;
}

interface TopicSet {
  readonly data: string;
  readonly groups: readonly string[];
}

// Topic strings depend only on (root, machine level); an agent publishes thousands of scans with the
// same pair, so building and validating them once per pair keeps the hot path to concatenation.
// The bound must exceed the largest fleet one process simulates (it visits every machine each
// interval): a smaller cache would miss on every call and cost ~10 µs per scan (plc-sim benchmark).
// At ~0.5 KB per entry, 65,536 entries stay under ~32 MB even for a runaway set of machine ids.
const TOPIC_CACHE_LIMIT = 65_536;
const topicCache = new Map<string, TopicSet>();

function topicsFor(root: string, machineId: string | undefined): TopicSet {
  const cacheKey = machineId === undefined ? root : `${root}\u0000${machineId}`;
  let set = topicCache.get(cacheKey);
  if (!set) {
    const options = machineId === undefined ? { root } : { root, machineId };
    set = {
      data: topicFor('data', options),
      groups: TAG_GROUP_NAMES.map((group) => topicFor(group, options)),
    };
    if (topicCache.size >= TOPIC_CACHE_LIMIT) topicCache.clear();
    topicCache.set(cacheKey, set);
  }
  return set;
}

function timestampText(timestamp: Date | string, fn: string): string {
  if (typeof timestamp === 'string') {
    if (!ISO_UTC_MS.test(timestamp)) {
      throw new RangeError(
        `${fn}: timestamp ${JSON.stringify(timestamp)} is not ISO-8601 UTC with milliseconds (e.g. 2025-01-15T08:30:00.000Z)`,
      );
    }
    return timestamp;
  }
  // toISOString throws RangeError on an invalid Date, which is the right failure here.
  return timestamp.toISOString();
}

function checkMachineId(machineId: string, fn: string): void {
  const problem = machineIdProblem(machineId);
  if (problem !== undefined)
    throw new TypeError(`${fn}: machineId ${JSON.stringify(machineId)} ${problem}`);
}

function checkEnvelope(meta: ScanMeta): void {
  checkMachineId(meta.machineId, 'encodeScan');
  if (!Number.isSafeInteger(meta.sequence) || meta.sequence < 0) {
    throw new RangeError(`encodeScan: sequence must be an integer ≥ 0, got ${meta.sequence}`);
  }
}

/**
 * Encodes one PLC scan as the seven MQTT messages of the wire format: the complete dataset on
 * `…/data` first, then one message per tag group, all with the same envelope (`schemaVersion`,
 * `timestamp`, `machineId`, `sequence`).
 *
 * Built for the publishing hot path: no zod, a precomputed plan, topic strings cached per root and
 * machine. It still checks every value it writes (type, finiteness, integer, engineering range), so
 * what it returns always passes {@link parsePayload}; bad input throws instead of reaching the wire.
 *
 * @param tags - The scan's tags (e.g. a simulator snapshot). Unknown extra keys are ignored.
 * @param meta - Envelope fields and topic layout.
 * @returns Seven `{ topic, payload }` messages, `data` first, then inputs, outputs, analog, status,
 *   counters, alarms.
 * @throws TypeError or RangeError naming the tag path, if a value is missing, mistyped or out of range,
 *   or if the machine id, sequence or timestamp is invalid.
 *
 * @example
 * ```ts
 * import { encodeScan } from '@ot-mqtt/tag-model';
 * declare const tags: import('@ot-mqtt/tag-model').BottleFillerTags;
 * for (const { topic, payload } of encodeScan(tags, { machineId: 'filler-01', sequence: 42, timestamp: new Date() })) {
 *   console.log(topic, payload); // plc/bottlefiller/data {"schemaVersion":1,...}
 * }
 * ```
 */
export function encodeScan(tags: BottleFillerTags, meta: ScanMeta): EncodedMessage[] {
  checkEnvelope(meta);
  const topics = topicsFor(
    meta.root ?? DEFAULT_TOPIC_ROOT,
    meta.includeMachineLevel === true ? meta.machineId : undefined,
  );
  const head = `{"schemaVersion":${SCHEMA_VERSION},"timestamp":"${timestampText(meta.timestamp, 'encodeScan')}","machineId":"${meta.machineId}","sequence":${meta.sequence},"tags":`;

  const groups: string[] = new Array<string>(PLAN.length);
  let data = '{';
  for (let i = 0; i < PLAN.length; i++) {
    const plan = PLAN[i] as (typeof PLAN)[number];
    const json = encodeGroup(
      tags[plan.group] as Readonly<Record<string, unknown>> | undefined,
      plan,
    );
    groups[i] = json;
    if (i > 0) data += ',';
    data += plan.key + json;
  }
  data += '}';

  const messages: EncodedMessage[] = [{ topic: topics.data, payload: `${head}${data}}` }];
  for (let i = 0; i < groups.length; i++) {
    messages.push({ topic: topics.groups[i] as string, payload: `${head}${groups[i] as string}}` });
  }
  return messages;
}

/** Envelope fields and topic layout for {@link encodeConnection}. */
export interface ConnectionMeta {
  /** Machine id of the agent. */
  readonly machineId: string;
  /** Time of the state change (default: now). */
  readonly timestamp?: Date | string;
  /** Publish interval to announce while online, in ms. */
  readonly publishIntervalMs?: number;
  /** Topic root (default `plc/bottlefiller`). */
  readonly root?: string;
  /** Use the fleet layout `<root>/<machineId>/connection` (default false). */
  readonly includeMachineLevel?: boolean;
}

/**
 * Encodes the agent's connection state for the retained connection topic. Use it twice: the
 * `offline` message as the MQTT last will (so the broker announces an unexpected drop), the `online`
 * message right after each connect — both with `retain: true`.
 *
 * @param status - `'online'` or `'offline'`.
 * @param meta - Machine id, optional timestamp, publish interval and topic layout.
 * @returns The topic and JSON payload.
 * @throws TypeError or RangeError on an invalid machine id, timestamp or interval.
 *
 * @example
 * ```ts
 * import { encodeConnection } from '@ot-mqtt/tag-model';
 * const will = encodeConnection('offline', { machineId: 'filler-01' });
 * const online = encodeConnection('online', { machineId: 'filler-01', publishIntervalMs: 2000 });
 * // publish(online.topic, online.payload, { qos: 1, retain: true })
 * ```
 */
export function encodeConnection(status: ConnectionStatus, meta: ConnectionMeta): EncodedMessage {
  checkMachineId(meta.machineId, 'encodeConnection');
  if (status !== 'online' && status !== 'offline') {
    throw new TypeError(
      `encodeConnection: status must be "online" or "offline", got ${describe(status)}`,
    );
  }
  const interval = meta.publishIntervalMs;
  if (interval !== undefined && (!Number.isSafeInteger(interval) || interval <= 0)) {
    throw new RangeError(
      `encodeConnection: publishIntervalMs must be a positive integer, got ${interval}`,
    );
  }
  const options =
    meta.includeMachineLevel === true
      ? { root: meta.root ?? DEFAULT_TOPIC_ROOT, machineId: meta.machineId }
      : { root: meta.root ?? DEFAULT_TOPIC_ROOT };
  const payload = {
    schemaVersion: SCHEMA_VERSION,
    status,
    timestamp: timestampText(meta.timestamp ?? new Date(), 'encodeConnection'),
    machineId: meta.machineId,
    ...(interval === undefined ? {} : { publishIntervalMs: interval }),
  };
  return { topic: connectionTopic(options), payload: JSON.stringify(payload) };
}
