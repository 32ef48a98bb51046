import { TAG_GROUP_NAMES, type TagGroupName } from './tag-metadata.js';
import { MACHINE_ID_PATTERN, machineIdProblem, topicRootProblem } from './topic-names.js';

/**
 * Root of every bottle-filler topic, exactly as the architecture document spells it. A subscriber to
 * `plc/bottlefiller/#` receives all seven data topics, the connection topic, and every machine of a
 * fleet.
 */
export const DEFAULT_TOPIC_ROOT = 'plc/bottlefiller';

/**
 * Machine id the single-machine setup of the architecture document uses, and the default of
 * {@link encodeScan} callers such as the agent.
 */
export const DEFAULT_MACHINE_ID = 'filler-01';

/**
 * What a data topic carries: `'data'` is the complete dataset, the six others one tag group each.
 * It is also the last level of the topic.
 */
export type TopicKind = 'data' | TagGroupName;

/**
 * Everything a message under the root can be: one of the seven data kinds, or `'connection'`
 * (the retained online/offline state of the publishing agent).
 */
export type MessageKind = TopicKind | 'connection';

/** The seven data topic kinds in publishing order: the complete dataset first, then the groups. */
export const TOPIC_KINDS: readonly TopicKind[] = ['data', ...TAG_GROUP_NAMES];

/** Every message kind under the root: the seven data kinds, then `'connection'`. */
export const MESSAGE_KINDS: readonly MessageKind[] = [...TOPIC_KINDS, 'connection'];

/** Where a topic lives: its root and, for fleets, the machine level. */
export interface TopicOptions {
  /** Topic root (default {@link DEFAULT_TOPIC_ROOT}); no leading/trailing `/`, no wildcards. */
  readonly root?: string;
  /**
   * Machine id inserted as its own level (`<root>/<machineId>/<kind>`), so one broker can carry a
   * fleet of fillers. Omit it for the architecture document's single-machine topics.
   */
  readonly machineId?: string;
}

/** A topic taken apart by {@link parseTopic}. */
export interface ParsedTopic {
  /** Which message the topic carries. */
  readonly kind: MessageKind;
  /** The machine level, when the topic has one. */
  readonly machineId?: string;
}

const KIND_SET: ReadonlySet<string> = new Set(MESSAGE_KINDS);

function checkRoot(root: string): string {
  const problem = topicRootProblem(root);
  if (problem !== undefined)
    throw new TypeError(`Invalid topic root ${JSON.stringify(root)}: it ${problem}`);
  return root;
}

function checkMachineId(machineId: string): string {
  const problem = machineIdProblem(machineId);
  if (problem !== undefined)
    throw new TypeError(`Invalid machineId ${JSON.stringify(machineId)}: it ${problem}`);
  return machineId;
}

function build(kind: MessageKind, options: TopicOptions | undefined): string {
  const root = checkRoot(options?.root ?? DEFAULT_TOPIC_ROOT);
  return options?.machineId === undefined
    ? `${root}/${kind}`
    : `${root}/${checkMachineId(options.machineId)}/${kind}`;
}

/**
 * The topic a data kind is published on.
 *
 * @param kind - `'data'` for the complete dataset, or a tag group name.
 * @param options - Custom root and/or a machine level for fleets.
 * @returns The topic, e.g. `plc/bottlefiller/inputs`.
 * @throws TypeError if the root or machine id cannot form a valid topic.
 *
 * @example
 * ```ts
 * import { topicFor } from '@ot-mqtt/tag-model';
 * topicFor('inputs'); // 'plc/bottlefiller/inputs'
 * topicFor('analog', { machineId: 'filler-02' }); // 'plc/bottlefiller/filler-02/analog'
 * topicFor('data', { root: 'site-a/line-3' }); // 'site-a/line-3/data'
 * ```
 */
export function topicFor(kind: TopicKind, options?: TopicOptions): string {
  return build(kind, options);
}

/**
 * The retained topic on which an agent announces `online`, and its broker publishes the last-will
 * `offline`.
 *
 * @param options - Custom root and/or a machine level for fleets.
 * @returns `plc/bottlefiller/connection`, or `plc/bottlefiller/<machineId>/connection`.
 *
 * @example
 * ```ts
 * import { connectionTopic } from '@ot-mqtt/tag-model';
 * connectionTopic(); // 'plc/bottlefiller/connection'
 * connectionTopic({ machineId: 'filler-02' }); // 'plc/bottlefiller/filler-02/connection'
 * ```
 */
export function connectionTopic(options?: TopicOptions): string {
  return build('connection', options);
}

/**
 * The subscription filter that matches every topic under a root: all kinds, all machines.
 *
 * @param root - Topic root (default {@link DEFAULT_TOPIC_ROOT}).
 * @returns `plc/bottlefiller/#` for the default root.
 *
 * @example
 * ```ts
 * import { subscriptionFilter } from '@ot-mqtt/tag-model';
 * subscriptionFilter(); // 'plc/bottlefiller/#'
 * ```
 */
export function subscriptionFilter(root: string = DEFAULT_TOPIC_ROOT): string {
  return `${checkRoot(root)}/#`;
}

/** What follows `<root>/` in `topic`, or `undefined` when the topic is not under the root. */
export function belowRoot(topic: string, root: string): string | undefined {
  return topic.startsWith(`${root}/`) ? topic.slice(root.length + 1) : undefined;
}

/**
 * Takes a received topic apart: which kind of message it carries, and its machine level if any.
 * Never throws; a topic that is not one of ours (other root, unknown kind, too many levels) gives
 * `undefined`.
 *
 * @param topic - The topic a message arrived on.
 * @param root - Topic root the publisher used (default {@link DEFAULT_TOPIC_ROOT}).
 * @returns The kind and optional machine id, or `undefined`.
 *
 * @example
 * ```ts
 * import { parseTopic } from '@ot-mqtt/tag-model';
 * parseTopic('plc/bottlefiller/analog'); // { kind: 'analog' }
 * parseTopic('plc/bottlefiller/filler-02/data'); // { kind: 'data', machineId: 'filler-02' }
 * parseTopic('plc/other/data'); // undefined
 * ```
 */
export function parseTopic(
  topic: string,
  root: string = DEFAULT_TOPIC_ROOT,
): ParsedTopic | undefined {
  const rest = belowRoot(topic, root)?.split('/');
  if (rest === undefined) return undefined;
  if (rest.length === 1) {
    const [kind] = rest as [string];
    return KIND_SET.has(kind) ? { kind: kind as MessageKind } : undefined;
  }
  if (rest.length === 2) {
    const [machineId, kind] = rest as [string, string];
    if (!KIND_SET.has(kind) || !MACHINE_ID_PATTERN.test(machineId)) return undefined;
    return { kind: kind as MessageKind, machineId };
  }
  return undefined;
}
