import {
  AlarmEventPayloadSchema,
  CommandReplySchema,
  DEFAULT_TOPIC_ROOT,
  MACHINE_ID_PATTERN,
  PackmlPayloadSchema,
  parseCommand,
  type Command,
  type AlarmEventPayload,
  type CommandReply,
  type PackmlPayload,
} from '@ot-mqtt/tag-model';
import type { ReceivedMessage } from './decode-message.js';

/** What a control-path topic carries. */
export type ControlKind = 'command' | 'command-reply' | 'packml' | 'alarm-event';

/** A message of the write path or machine state, decoded. */
export type ControlMessage =
  | (ControlHead & { readonly kind: 'command'; readonly ok: true; readonly command: Command })
  | (ControlHead & {
      readonly kind: 'command-reply';
      readonly ok: true;
      readonly reply: CommandReply;
    })
  | (ControlHead & { readonly kind: 'packml'; readonly ok: true; readonly packml: PackmlPayload })
  | (ControlHead & {
      readonly kind: 'alarm-event';
      readonly ok: true;
      /** The alarm server's event (`AlarmEventPayloadSchema` of the tag model). */
      readonly event: AlarmEventPayload;
    })
  | (ControlHead & {
      readonly kind: ControlKind;
      readonly ok: false;
      /** What was wrong. */
      readonly error: string;
      /** The request id, when a malformed command still had one. */
      readonly requestId: string | undefined;
    });

/** Fields every {@link ControlMessage} has. */
export interface ControlHead {
  /** Topic (untrusted text). */
  readonly topic: string;
  /** Machine level of the topic (fleet layout), if any. */
  readonly machineId: string | undefined;
  /** Retained delivery (PackML state is retained). */
  readonly retain: boolean;
  /** Receive time, epoch ms. */
  readonly receivedAt: number;
}

// Commands are small (the agent refuses more than 4 KiB); replies and events carry a little state.
const MAX_CONTROL_BYTES = 64 * 1024;

// Every control topic holds one of these (`…/command/reply` may go on with a session level).
const CONTROL_TOPIC_MARK = /\/(?:command(?:$|\/reply)|packml$|alarms\/events$)/u;

/**
 * Which control-path topic `topic` is: `<root>[/<machineId>]/command`, `…/command/reply` (and the
 * MQTT 5 response topics below it, `…/command/reply/<anything>`), `…/packml` or `…/alarms/events`;
 * `undefined` for any other topic.
 *
 * @param topic - A received topic.
 * @param root - Topic root (default `plc/bottlefiller`).
 * @returns The kind and the machine level, or `undefined`.
 *
 * @example
 * ```ts
 * import { controlTopicKind } from '@ot-mqtt/scan-monitor';
 * controlTopicKind('plc/bottlefiller/filler-02/command/reply'); // { kind: 'command-reply', machineId: 'filler-02' }
 * controlTopicKind('plc/bottlefiller/data'); // undefined
 * ```
 */
export function controlTopicKind(
  topic: string,
  root: string = DEFAULT_TOPIC_ROOT,
): { kind: ControlKind; machineId: string | undefined } | undefined {
  // Scans, nearly all the traffic, leave here without a split.
  if (!CONTROL_TOPIC_MARK.test(topic)) return undefined;
  if (!topic.startsWith(`${root}/`)) return undefined;
  let levels = topic.slice(root.length + 1).split('/');
  let machineId: string | undefined;
  const first = levels[0] ?? '';
  if (!['command', 'packml', 'alarms'].includes(first)) {
    if (!MACHINE_ID_PATTERN.test(first)) return undefined;
    machineId = first;
    levels = levels.slice(1);
  }
  const [a, b] = levels;
  if (a === 'command' && levels.length === 1) return { kind: 'command', machineId };
  if (a === 'command' && b === 'reply') return { kind: 'command-reply', machineId };
  if (a === 'packml' && levels.length === 1) return { kind: 'packml', machineId };
  if (a === 'alarms' && b === 'events' && levels.length === 2)
    return { kind: 'alarm-event', machineId };
  return undefined;
}

function firstIssue(error: { issues: readonly { path: PropertyKey[]; message: string }[] }) {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const path = issue.path.map(String).join('.');
  return `${path ? `${path}: ` : ''}${issue.message}`;
}

/**
 * Decodes a message of the write path and machine state — a command, a command reply, a PackML
 * state or an alarm event — so a monitor can show commands and their replies beside the scans.
 * Returns `undefined` when the topic is not one of those (use {@link decodeMessage} for scans).
 * Never throws.
 *
 * @param message - Topic, payload and flags as delivered.
 * @param receivedAt - Receive time, epoch ms.
 * @param options - Topic root.
 * @returns The decoded message (or what was wrong), or `undefined` for other topics.
 *
 * @example
 * ```ts
 * import { decodeControlMessage } from '@ot-mqtt/scan-monitor';
 * const payload = new TextEncoder().encode('{"command":"start","requestId":"hmi-1"}');
 * const m = decodeControlMessage({ topic: 'plc/bottlefiller/command', payload, qos: 1, retain: false, dup: false }, Date.now());
 * if (m?.kind === 'command' && m.ok) console.log(m.command.command); // 'start'
 * ```
 */
export function decodeControlMessage(
  message: ReceivedMessage,
  receivedAt: number,
  options: { readonly root?: string } = {},
): ControlMessage | undefined {
  const found = controlTopicKind(message.topic, options.root);
  if (found === undefined) return undefined;
  const head = {
    topic: message.topic,
    machineId: found.machineId,
    retain: message.retain,
    receivedAt,
  };
  const fail = (error: string, requestId?: string): ControlMessage => ({
    ...head,
    kind: found.kind,
    ok: false,
    error,
    requestId,
  });
  if (found.kind === 'command') {
    const result = parseCommand(message.payload);
    return result.ok
      ? { ...head, kind: 'command', ok: true, command: result.command }
      : fail(result.error, result.requestId);
  }
  if (message.payload.byteLength > MAX_CONTROL_BYTES)
    return fail(`payload too large: ${message.payload.byteLength} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.payload));
  } catch {
    return fail('payload is not UTF-8 JSON');
  }
  if (found.kind === 'command-reply') {
    const reply = CommandReplySchema.safeParse(data);
    return reply.success
      ? { ...head, kind: 'command-reply', ok: true, reply: reply.data }
      : fail(firstIssue(reply.error));
  }
  if (found.kind === 'packml') {
    const packml = PackmlPayloadSchema.safeParse(data);
    return packml.success
      ? { ...head, kind: 'packml', ok: true, packml: packml.data }
      : fail(firstIssue(packml.error));
  }
  const event = AlarmEventPayloadSchema.safeParse(data);
  return event.success
    ? { ...head, kind: 'alarm-event', ok: true, event: event.data }
    : fail(firstIssue(event.error));
}
