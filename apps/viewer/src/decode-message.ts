import { parsePayload, parseTopic, type MessageKind, type PayloadByKind } from '@ot-mqtt/tag-model';

/** A message as the MQTT client delivers it (structurally `MqttMessage` of `@ot-mqtt/mqtt-client`). */
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
  /** Scan sequence; `undefined` for the connection topic. */
  readonly sequence: number | undefined;
  /** Embedded timestamp, epoch ms. */
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
  /** Topic. */
  readonly topic: string;
  /** Machine id from the topic's machine level, if it has one. */
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
  /** Short, printable beginning of the payload (escaped text or hex for binary). */
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
  /** Topic root of the tag model. */
  readonly root: string;
  /** Larger payloads are rejected without parsing. */
  readonly maxPayloadBytes: number;
}

const PREVIEW_CHARS = 60;
const decoder = new TextDecoder('utf-8', { fatal: true });

function previewOf(payload: Uint8Array, text: string | undefined): string {
  if (text === undefined) {
    const head = Buffer.from(payload.buffer, payload.byteOffset, Math.min(16, payload.byteLength));
    return `hex ${head.toString('hex')}${payload.byteLength > 16 ? '…' : ''}`;
  }
  const head = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
  return JSON.stringify(head);
}

/**
 * Validates one received message against the tag model. Never throws: oversized, binary, non-JSON
 * and wrong-schema payloads become an {@link InvalidMessage} saying what was wrong and where.
 */
export function decodeMessage(
  message: ReceivedMessage,
  receivedAt: number,
  options: DecodeOptions,
): DecodedMessage {
  const { topic, payload, qos, retain, dup } = message;
  const bytes = payload.byteLength;
  const invalid = (
    path: string,
    why: string,
    text: string | undefined,
    moreIssues = 0,
  ): InvalidMessage => {
    const parsedTopic = parseTopic(topic, options.root);
    return {
      ok: false,
      topic,
      machineId: parsedTopic?.machineId,
      kind: parsedTopic?.kind,
      path,
      message: why,
      moreIssues,
      bytes,
      preview: previewOf(payload, text),
      qos,
      retain,
      dup,
      receivedAt,
    };
  };
  // Checked before decoding: a huge payload must cost neither parsing time nor screen space.
  if (bytes > options.maxPayloadBytes) {
    const head = payload.subarray(0, PREVIEW_CHARS);
    let text: string | undefined;
    try {
      text = decoder.decode(head);
    } catch {
      text = undefined;
    }
    return invalid(
      '',
      `payload too large: ${bytes} bytes, limit ${options.maxPayloadBytes} (VIEWER_MAX_PAYLOAD_BYTES); not parsed`,
      text,
    );
  }
  let text: string;
  try {
    text = decoder.decode(payload);
  } catch {
    // The tag model words the binary case; hand it the bytes.
    const result = parsePayload(topic, payload, { root: options.root });
    return invalid('', result.ok ? 'payload is binary' : result.error.message, undefined);
  }
  const result = parsePayload(topic, text, { root: options.root });
  if (!result.ok) {
    return invalid(result.error.path, result.error.message, text, result.error.issues.length - 1);
  }
  const value = result.value;
  return {
    ok: true,
    topic,
    kind: result.kind,
    machineId: result.machineId,
    sequence: 'sequence' in value ? value.sequence : undefined,
    timestamp: Date.parse(value.timestamp),
    value,
    text,
    qos,
    retain,
    dup,
    receivedAt,
  };
}
