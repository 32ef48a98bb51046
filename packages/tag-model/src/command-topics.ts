import { DEFAULT_TOPIC_ROOT, belowRoot, connectionTopic, type TopicOptions } from './topics.js';

// Built from the connection topic so that root and machine id pass exactly the checks every other
// topic of the package passes (one rule, in topics.ts).
function under(level: string, options: TopicOptions | undefined): string {
  return `${connectionTopic(options).slice(0, -'connection'.length)}${level}`;
}

/**
 * The topic a machine takes commands on (QoS 1, not retained).
 *
 * @param options - Custom root and/or a machine level for fleets.
 * @returns `plc/bottlefiller/command`, or `plc/bottlefiller/<machineId>/command`.
 * @throws TypeError if the root or machine id cannot form a valid topic.
 *
 * @example
 * ```ts
 * import { commandTopic } from '@ot-mqtt/tag-model';
 * commandTopic(); // 'plc/bottlefiller/command'
 * commandTopic({ machineId: 'filler-02' }); // 'plc/bottlefiller/filler-02/command'
 * ```
 */
export function commandTopic(options?: TopicOptions): string {
  return under('command', options);
}

/**
 * Where replies go for a request without an MQTT 5 response topic (an MQTT 3.1.1 client).
 *
 * @example
 * ```ts
 * import { commandReplyTopic } from '@ot-mqtt/tag-model';
 * commandReplyTopic({ machineId: 'filler-02' }); // 'plc/bottlefiller/filler-02/command/reply'
 * ```
 */
export function commandReplyTopic(options?: TopicOptions): string {
  return under('command/reply', options);
}

/**
 * The retained topic of a machine's PackML state.
 *
 * @example
 * ```ts
 * import { packmlTopic } from '@ot-mqtt/tag-model';
 * packmlTopic(); // 'plc/bottlefiller/packml'
 * ```
 */
export function packmlTopic(options?: TopicOptions): string {
  return under('packml', options);
}

/**
 * The topic a machine's alarm events are published on (QoS 1, not retained).
 *
 * @param options - Custom root and/or a machine level for fleets.
 * @returns `plc/bottlefiller/alarms/events`, or `plc/bottlefiller/<machineId>/alarms/events`.
 * @throws TypeError if the root or machine id cannot form a valid topic.
 *
 * @example
 * ```ts
 * import { alarmEventsTopic } from '@ot-mqtt/tag-model';
 * alarmEventsTopic({ machineId: 'filler-02' }); // 'plc/bottlefiller/filler-02/alarms/events'
 * ```
 */
export function alarmEventsTopic(options?: TopicOptions): string {
  return under('alarms/events', options);
}

/** What {@link parseWriteTopic} found: which write-path message, and for which machine. */
export interface WriteTopic {
  readonly kind: 'command' | 'command-reply' | 'packml';
  readonly machineId?: string;
}

const WRITE_KINDS: Readonly<Record<string, WriteTopic['kind']>> = {
  command: 'command',
  'command/reply': 'command-reply',
  packml: 'packml',
};

/**
 * Recognises the topics of the write path under a root — `command`, `command/reply` and `packml`,
 * with or without a machine level — so that a consumer of `<root>/#` can tell them from the seven
 * data topics (which {@link parseTopic} reads) instead of reporting them as unknown. Never throws.
 *
 * @example
 * ```ts
 * import { parseWriteTopic } from '@ot-mqtt/tag-model';
 * parseWriteTopic('plc/bottlefiller/filler-02/command/reply'); // { kind: 'command-reply', machineId: 'filler-02' }
 * parseWriteTopic('plc/bottlefiller/packml'); // { kind: 'packml' }
 * parseWriteTopic('plc/bottlefiller/data'); // undefined
 * ```
 */
export function parseWriteTopic(
  topic: string,
  root: string = DEFAULT_TOPIC_ROOT,
): WriteTopic | undefined {
  const rest = belowRoot(topic, root);
  if (rest === undefined) return undefined;
  const direct = WRITE_KINDS[rest];
  if (direct !== undefined) return { kind: direct };
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const machineId = rest.slice(0, slash);
  const kind = WRITE_KINDS[rest.slice(slash + 1)];
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must be rejected (MQTT §1.5.3)
  if (kind === undefined || /[+#\u0000]/u.test(machineId)) return undefined;
  return { kind, machineId };
}
