import {
  DEFAULT_TOPIC_ROOT,
  parsePayload,
  parseTopic,
  type MessageKind,
  type PayloadByKind,
} from '@ot-mqtt/tag-model';
import { PREVIEW_BYTES, payloadPreview } from './payload-preview.js';

/** A message as an MQTT client delivers it (structurally `MqttMessage` of `@ot-mqtt/mqtt-client`). */
export interface ReceivedMessage {
  /** Topic it was published on. */
  readonly topic: string;
  /** Raw payload bytes. */
  readonly payload: Uint8Array;
  /** QoS of the delivery. */
  readonly qos: number;
  /** Retained message (state from before the subscription). */
  readonly retain: boolean;
  /** Redelivery flag. */
  readonly dup: boolean;
}

/** A payload that passed the tag model. */
export interface ValidMessage {
  /** Discriminant. */
  readonly ok: true;
  /** Topic. */
  readonly topic: string;
  /** Message kind from the topic. */
  readonly kind: MessageKind;
  /** Machine id from the payload. */
  readonly machineId: string;
  /** Scan sequence; `undefined` for kinds without one (the connection topic). */
  readonly sequence: number | undefined;
  /** Embedded timestamp, epoch ms (`NaN` if the payload has none). */
  readonly timestamp: number;
  /** The validated payload. */
  readonly value: PayloadByKind[MessageKind];
  /** The payload text as received (for NDJSON without re-serialising). */
  readonly text: string;
  /** Delivery QoS. */
  readonly qos: number;
  /** Retained. */
  readonly retain: boolean;
  /** Redelivered. */
  readonly dup: boolean;
  /** Receive time, epoch ms. */
  readonly receivedAt: number;
}

/** A payload that could not be used, with the reason in words. */
export interface InvalidMessage {
  /** Discriminant. */
  readonly ok: false;
  /** Topic (untrusted text: escape it before printing, see {@link escapeControl}). */
  readonly topic: string;
  /** Machine level of the topic, if it has one (untrusted: anyone can publish on any topic). */
  readonly machineId: string | undefined;
  /** Kind from the topic, if it is one of ours. */
  readonly kind: MessageKind | undefined;
  /** Tag or field path of the first problem; empty when the payload as a whole is wrong. */
  readonly path: string;
  /** What was wrong. */
  readonly message: string;
  /** Further problems found beyond the first. */
  readonly moreIssues: number;
  /** Payload size in bytes. */
  readonly bytes: number;
  /** Short beginning of the payload: a JSON string literal of the text, or `hex …` for binary. */
  readonly preview: string;
  /** Delivery QoS. */
  readonly qos: number;
  /** Retained. */
  readonly retain: boolean;
  /** Redelivered. */
  readonly dup: boolean;
  /** Receive time, epoch ms. */
  readonly receivedAt: number;
}

/** Outcome of {@link decodeMessage}. */
export type DecodedMessage = ValidMessage | InvalidMessage;

/** Options of {@link decodeMessage}. */
export interface DecodeOptions {
  /** Topic root of the tag model (default `plc/bottlefiller`). */
  readonly root?: string;
  /** Larger payloads are rejected without parsing (default: 262144 = 256 KiB). */
  readonly maxPayloadBytes?: number;
}

const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * Validates one received message against the tag model. Never throws: oversized, binary, non-JSON
 * and wrong-schema payloads become an {@link InvalidMessage} saying what was wrong and where.
 * The payload is decoded once, by the tag model's `parsePayload`.
 *
 * @param message - Topic, payload bytes and delivery flags.
 * @param receivedAt - Receive time, epoch ms.
 * @param options - Topic root and payload size limit.
 * @returns The validated message, or what was wrong with it.
 *
 * @example
 * ```ts
 * import { decodeMessage } from '@ot-mqtt/scan-monitor';
 * const payload = new TextEncoder().encode('{"schemaVersion":1}');
 * const m = decodeMessage({ topic: 'plc/bottlefiller/data', payload, qos: 1, retain: false, dup: false }, Date.now());
 * if (!m.ok) console.warn(`${m.path}: ${m.message}`); // timestamp: missing field timestamp
 * ```
 */
export function decodeMessage(
  message: ReceivedMessage,
  receivedAt: number,
  options: DecodeOptions = {},
): DecodedMessage {
  const { topic, payload, qos, retain, dup } = message;
  const root = options.root ?? DEFAULT_TOPIC_ROOT;
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const bytes = payload.byteLength;
  const invalid = (
    path: string,
    why: string,
    text: string | undefined,
    moreIssues = 0,
  ): InvalidMessage => {
    const parsedTopic = parseTopic(topic, root);
    return {
      ok: false,
      topic,
      machineId: parsedTopic?.machineId,
      kind: parsedTopic?.kind,
      path,
      message: why,
      moreIssues,
      bytes,
      preview: payloadPreview(payload, text),
      qos,
      retain,
      dup,
      receivedAt,
    };
  };
  // Checked before decoding: a huge payload must cost neither parsing time nor screen space.
  if (bytes > maxPayloadBytes) {
    let head: string | undefined;
    try {
      // Streaming mode: a character cut at the end of the head is not an error.
      head = new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(0, PREVIEW_BYTES), {
        stream: true,
      });
    } catch {
      head = undefined;
    }
    return invalid(
      '',
      `payload too large: ${bytes} bytes, limit ${maxPayloadBytes}; not parsed`,
      head,
    );
  }
  const result = parsePayload(topic, payload, { root });
  if (!result.ok) {
    return invalid(
      result.error.path,
      result.error.message,
      result.text,
      result.error.issues.length - 1,
    );
  }
  const value = result.value;
  return {
    ok: true,
    topic,
    kind: result.kind,
    machineId: result.machineId,
    sequence:
      'sequence' in value && typeof value.sequence === 'number' ? value.sequence : undefined,
    timestamp: 'timestamp' in value ? Date.parse(value.timestamp) : Number.NaN,
    value,
    text: result.text,
    qos,
    retain,
    dup,
    receivedAt,
  };
}
