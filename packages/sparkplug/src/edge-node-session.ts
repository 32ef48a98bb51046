import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { DATA_TYPES } from './data-types.js';
import { encodePayload } from './encode-payload.js';
import { changedFillerMetrics, fillerBirthMetrics } from './filler-metrics.js';
import type { SparkplugMetric } from './payload.js';
import { nextSeq } from './sequence.js';
import { sparkplugIdProblem, sparkplugTopic, type MessageType } from './topics.js';

/** Name of the NBIRTH metric a host writes `true` to for a rebirth (§5.17, §6.4.19). */
export const NODE_CONTROL_REBIRTH = 'Node Control/Rebirth';

/** Name of the birth/death sequence metric of NBIRTH and NDEATH (§6.4.25). */
export const BD_SEQ = 'bdSeq';

/** One Sparkplug MQTT message: publish QoS 0, not retained (the NDEATH will: QoS 1). */
export interface SparkplugMessage {
  /** Topic under `spBv1.0/`. */
  readonly topic: string;
  /** Protobuf payload. */
  readonly payload: Uint8Array;
}

/** Identity of an edge node and its devices for {@link createEdgeNodeSession}. */
export interface EdgeNodeSessionOptions {
  /** Group id (`SPARKPLUG_GROUP_ID`). */
  readonly groupId: string;
  /** Edge node id (`SPARKPLUG_EDGE_NODE_ID`). */
  readonly edgeNodeId: string;
  /** Device ids (one per filler), in a fixed order: a device's index decides its aliases. */
  readonly deviceIds: readonly string[];
  /** bdSeq of the first connection (default 0). */
  readonly bdSeq?: number;
}

/**
 * The state of a Sparkplug B edge node whose devices are fillers — bdSeq, seq, aliases, the last
 * reported values — as pure functions from scans to messages. The caller owns the network: it
 * registers {@link EdgeNodeSession.will} as the will of each CONNECT, publishes what the methods
 * return, and calls {@link EdgeNodeSession.nextConnection} before every reconnect.
 */
export interface EdgeNodeSession {
  /** bdSeq of the current connection (0–255). */
  readonly bdSeq: number;
  /** The device ids, in alias order. */
  readonly deviceIds: readonly string[];
  /** The NDEATH to register as the MQTT will (QoS 1, not retained): `bdSeq` only, no `seq`. */
  will(): SparkplugMessage;
  /** A new CONNECT is about to be made: bdSeq +1 (255 wraps to 0); births are due again. */
  nextConnection(): void;
  /**
   * NBIRTH (seq 0, `bdSeq`, `Node Control/Rebirth`) and one DBIRTH per device with every tag and
   * command metric. Also what a rebirth sends (same bdSeq). Resets the report-by-exception state.
   */
  birth(scanOf: (deviceId: string) => BottleFillerTags, now: number): SparkplugMessage[];
  /** The DDATA of the tags that changed since the last report, or `undefined` if none did or the device was not born. */
  data(deviceId: string, tags: BottleFillerTags, now: number): SparkplugMessage | undefined;
  /** DDEATH of one device (e.g. its simulator stopped); its DDATA stop until the next birth. */
  deviceDeath(deviceId: string, now: number): SparkplugMessage;
  /** The NDEATH for a clean stop, published before DISCONNECT (the will's twin). */
  death(now: number): SparkplugMessage;
  /** Index of a device (its alias block), or `undefined` for a stranger. */
  deviceIndex(deviceId: string): number | undefined;
}

/**
 * Creates an {@link EdgeNodeSession}.
 *
 * @throws TypeError if an id is not a valid topic level or a device id repeats.
 *
 * @example
 * ```ts
 * import { createEdgeNodeSession } from '@ot-mqtt/sparkplug';
 * declare const scan: import('@ot-mqtt/tag-model').BottleFillerTags;
 * const node = createEdgeNodeSession({ groupId: 'Packaging', edgeNodeId: 'ot-toolkit', deviceIds: ['filler-01'] });
 * const will = node.will(); // CONNECT with { topic: will.topic, payload: will.payload, qos: 1, retain: false }
 * for (const m of node.birth(() => scan, Date.now())) {
 *   // publish(m.topic, m.payload, { qos: 0 })
 * }
 * const ddata = node.data('filler-01', scan, Date.now()); // undefined: nothing changed
 * ```
 */
export function createEdgeNodeSession(options: EdgeNodeSessionOptions): EdgeNodeSession {
  const { groupId, edgeNodeId } = options;
  const deviceIds = [...options.deviceIds];
  for (const id of deviceIds) {
    const problem = sparkplugIdProblem(id);
    if (problem !== undefined) throw new TypeError(`deviceId ${JSON.stringify(id)} ${problem}`);
  }
  const index = new Map(deviceIds.map((id, i) => [id, i]));
  if (index.size !== deviceIds.length) throw new TypeError('deviceIds must be unique');
  let bdSeq = options.bdSeq ?? 0;
  if (!Number.isInteger(bdSeq) || bdSeq < 0 || bdSeq > 255)
    throw new RangeError(`bdSeq must be an integer 0–255, got ${bdSeq}`);

  const topic = (type: MessageType, deviceId?: string): string =>
    sparkplugTopic({
      groupId,
      type,
      edgeNodeId,
      ...(deviceId === undefined ? {} : { deviceId }),
    });
  // Topics are fixed for the session's life: build each once.
  const nodeTopics = { NBIRTH: topic('NBIRTH'), NDEATH: topic('NDEATH') };
  const deviceTopics = new Map(
    deviceIds.map((id) => [
      id,
      { DBIRTH: topic('DBIRTH', id), DDATA: topic('DDATA', id), DDEATH: topic('DDEATH', id) },
    ]),
  );
  topic('NCMD'); // validates the edge node id even for a node without devices

  let seq = 0;
  const reported = new Map<string, BottleFillerTags>();
  // The seq of the NBIRTH is 0; every later message of the node or its devices takes the next.
  const takeSeq = (): number => {
    seq = nextSeq(seq);
    return seq;
  };
  const bdSeqMetric = (): SparkplugMetric => ({
    name: BD_SEQ,
    datatype: DATA_TYPES.Int64,
    value: BigInt(bdSeq),
  });
  const deathPayload = (now: number) => encodePayload({ timestamp: now, metrics: [bdSeqMetric()] });
  const known = (deviceId: string) => {
    const topics = deviceTopics.get(deviceId);
    if (topics === undefined) throw new TypeError(`unknown device ${JSON.stringify(deviceId)}`);
    return { topics, deviceIndex: index.get(deviceId)! };
  };

  return {
    get bdSeq() {
      return bdSeq;
    },
    deviceIds,
    will: () => ({ topic: nodeTopics.NDEATH, payload: deathPayload(Date.now()) }),
    nextConnection() {
      bdSeq = nextSeq(bdSeq);
      reported.clear();
    },
    birth(scanOf, now) {
      seq = 0;
      reported.clear();
      const messages: SparkplugMessage[] = [
        {
          topic: nodeTopics.NBIRTH,
          payload: encodePayload({
            timestamp: now,
            seq: 0,
            metrics: [
              { ...bdSeqMetric(), timestamp: now },
              // No alias: hosts look it up by name (§6.4.19).
              {
                name: NODE_CONTROL_REBIRTH,
                datatype: DATA_TYPES.Boolean,
                value: false,
                timestamp: now,
              },
            ],
          }),
        },
      ];
      for (const deviceId of deviceIds) {
        const { topics, deviceIndex } = known(deviceId);
        const scan = scanOf(deviceId);
        messages.push({
          topic: topics.DBIRTH,
          payload: encodePayload({
            timestamp: now,
            seq: takeSeq(),
            metrics: fillerBirthMetrics(scan, { deviceIndex, timestamp: now }),
          }),
        });
        reported.set(deviceId, scan);
      }
      return messages;
    },
    data(deviceId, tags, now) {
      const { topics, deviceIndex } = known(deviceId);
      const previous = reported.get(deviceId);
      if (previous === undefined) return undefined;
      const metrics = changedFillerMetrics(previous, tags, { deviceIndex, timestamp: now });
      reported.set(deviceId, tags);
      if (metrics.length === 0) return undefined;
      return {
        topic: topics.DDATA,
        payload: encodePayload({ timestamp: now, seq: takeSeq(), metrics }),
      };
    },
    deviceDeath(deviceId, now) {
      const { topics } = known(deviceId);
      reported.delete(deviceId);
      return {
        topic: topics.DDEATH,
        payload: encodePayload({ timestamp: now, seq: takeSeq(), metrics: [] }),
      };
    },
    death: (now) => ({ topic: nodeTopics.NDEATH, payload: deathPayload(now) }),
    deviceIndex: (deviceId) => index.get(deviceId),
  };
}

/**
 * Whether an NCMD payload asks for a rebirth: it writes `true` to `Node Control/Rebirth` (§5.17).
 *
 * @example
 * ```ts
 * import { isRebirthRequest } from '@ot-mqtt/sparkplug';
 * isRebirthRequest({ metrics: [{ name: 'Node Control/Rebirth', value: true }] }); // true
 * ```
 */
export function isRebirthRequest(payload: {
  readonly metrics: readonly SparkplugMetric[];
}): boolean {
  return payload.metrics.some((m) => m.name === NODE_CONTROL_REBIRTH && m.value === true);
}

/**
 * The NCMD a host sends to make an edge node rebirth (§5.17): topic and payload.
 *
 * @example
 * ```ts
 * import { rebirthRequest } from '@ot-mqtt/sparkplug';
 * const { topic, payload } = rebirthRequest('Packaging', 'ot-toolkit', Date.now());
 * // publish(topic, payload, { qos: 0 })
 * ```
 */
export function rebirthRequest(groupId: string, edgeNodeId: string, now: number): SparkplugMessage {
  return {
    topic: sparkplugTopic({ groupId, type: 'NCMD', edgeNodeId }),
    payload: encodePayload({
      timestamp: now,
      metrics: [
        { name: NODE_CONTROL_REBIRTH, datatype: DATA_TYPES.Boolean, value: true, timestamp: now },
      ],
    }),
  };
}
