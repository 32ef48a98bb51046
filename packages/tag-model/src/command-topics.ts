import { connectionTopic, type TopicOptions } from './topics.js';

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
