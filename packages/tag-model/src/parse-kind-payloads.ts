// The one-kind parsers (`parseDataPayload`…): parsePayload's rules for a payload whose kind the
// caller already knows, e.g. from its own subscription.
import { parseAs, type ParseKindOptions, type ParseResult } from './parse-payload.js';
import { connectionTopic, parseTopic, topicFor, type MessageKind } from './topics.js';

function kindParser<K extends MessageKind>(kind: K) {
  return (payload: string | Uint8Array, options?: ParseKindOptions): ParseResult<K> => {
    const topic =
      options?.topic ??
      (kind === 'connection' ? connectionTopic() : topicFor(kind as Exclude<K, 'connection'>));
    const machineId = options?.topic
      ? parseTopic(options.topic, options.root)?.machineId
      : undefined;
    return parseAs(kind, topic, machineId, payload);
  };
}

/**
 * Parses a payload of the data topic (complete dataset). Never throws.
 *
 * @param payload - Raw payload.
 * @param options - Topic to name in errors (default `plc/bottlefiller/data`).
 * @returns The validated payload, or the error.
 *
 * @example
 * ```ts
 * import { parseDataPayload } from '@ot-mqtt/tag-model';
 * const r = parseDataPayload('{}');
 * if (!r.ok) console.warn(r.error.path, r.error.message); // schemaVersion missing field schemaVersion
 * ```
 */
export const parseDataPayload = kindParser('data');

/**
 * Parses a payload of the inputs topic. Never throws.
 *
 * @example
 * ```ts
 * import { parseInputsPayload } from '@ot-mqtt/tag-model';
 * const bytes = new TextEncoder().encode('{"schemaVersion":1}');
 * const r = parseInputsPayload(bytes, { topic: 'plc/bottlefiller/inputs' });
 * if (r.ok) console.log(r.value.tags.BottlePresent);
 * ```
 */
export const parseInputsPayload = kindParser('inputs');

/**
 * Parses a payload of the outputs topic. Never throws.
 *
 * @example
 * ```ts
 * import { parseOutputsPayload } from '@ot-mqtt/tag-model';
 * declare const text: string; // a received payload
 * const r = parseOutputsPayload(text);
 * if (r.ok) console.log(r.value.tags.FillValve);
 * ```
 */
export const parseOutputsPayload = kindParser('outputs');

/**
 * Parses a payload of the analog topic; values outside their engineering range are rejected. Never throws.
 *
 * @example
 * ```ts
 * import { parseAnalogPayload } from '@ot-mqtt/tag-model';
 * declare const text: string; // a received payload
 * const r = parseAnalogPayload(text);
 * if (r.ok) console.log(`${r.value.tags.FillLevel} %`);
 * ```
 */
export const parseAnalogPayload = kindParser('analog');

/**
 * Parses a payload of the status topic. Never throws.
 *
 * @example
 * ```ts
 * import { parseStatusPayload } from '@ot-mqtt/tag-model';
 * declare const text: string; // a received payload
 * const r = parseStatusPayload(text);
 * if (r.ok && r.value.tags.Fault) console.warn('line faulted');
 * ```
 */
export const parseStatusPayload = kindParser('status');

/**
 * Parses a payload of the counters topic. Never throws.
 *
 * @example
 * ```ts
 * import { parseCountersPayload } from '@ot-mqtt/tag-model';
 * declare const text: string; // a received payload
 * const r = parseCountersPayload(text);
 * if (r.ok) console.log(r.value.tags.BottlesFilled);
 * ```
 */
export const parseCountersPayload = kindParser('counters');

/**
 * Parses a payload of the alarms topic. Never throws.
 *
 * @example
 * ```ts
 * import { parseAlarmsPayload } from '@ot-mqtt/tag-model';
 * declare const text: string; // a received payload
 * const r = parseAlarmsPayload(text);
 * if (r.ok && r.value.tags.Overfill) console.warn('overfill');
 * ```
 */
export const parseAlarmsPayload = kindParser('alarms');

/**
 * Parses a payload of the retained connection topic. Never throws.
 *
 * @example
 * ```ts
 * import { parseConnectionPayload } from '@ot-mqtt/tag-model';
 * declare const text: string; // a received payload
 * const r = parseConnectionPayload(text);
 * if (r.ok) console.log(`${r.machineId} is ${r.value.status}`);
 * ```
 */
export const parseConnectionPayload = kindParser('connection');
