import { decodePayload } from './decode-payload.js';
import { BD_SEQ, rebirthRequest, type SparkplugMessage } from './edge-node-session.js';
import { coerceMetricValue } from './metric-value.js';
import type { MetricValue, SparkplugMetric, SparkplugPayload } from './payload.js';
import { nextSeq } from './sequence.js';
import {
  parseHostState,
  parseSparkplugTopic,
  type HostState,
  type MessageType,
  type SparkplugAddress,
} from './topics.js';

/** A metric with its name and datatype resolved through the BIRTH that defined its alias. */
export interface ResolvedMetric {
  /** Name from the message, else from the alias map; `undefined` for an unknown alias. */
  readonly name: string | undefined;
  /** Alias, when the message carried one. */
  readonly alias?: number;
  /** Datatype from the message, else from the BIRTH. */
  readonly datatype?: number;
  /** Value read as its datatype. */
  readonly value: MetricValue;
  /** When the value was read, ms since the epoch. */
  readonly timestamp?: number;
}

/** What a host made of one message of the Sparkplug namespace. */
export type HostEvent =
  | (SparkplugAddress & {
      readonly kind: 'message';
      /** The message's `seq`, when it has one. */
      readonly seq?: number;
      /** The message's `timestamp`. */
      readonly timestamp?: number;
      /** bdSeq of an NBIRTH or NDEATH. */
      readonly bdSeq?: number;
      /** The metrics, resolved. */
      readonly metrics: readonly ResolvedMetric[];
      /** Protocol problems: seq gaps, unknown aliases, DATA before BIRTH, a stale NDEATH. */
      readonly problems: readonly string[];
      /** The NCMD to publish when a problem calls for a rebirth (§5.17; throttled per edge node). */
      readonly rebirth?: SparkplugMessage;
    })
  | { readonly kind: 'state'; readonly hostId: string; readonly state: HostState | undefined }
  | { readonly kind: 'invalid'; readonly topic: string; readonly problem: string };

/** Limits and timing of {@link createHostSession}. */
export interface HostSessionOptions {
  /** Edge nodes tracked at once; the longest-unheard are forgotten beyond it (default 10,000). */
  readonly maxEdgeNodes?: number;
  /** Aliases kept per edge node; a BIRTH beyond it keeps the first ones (default 100,000). */
  readonly maxAliasesPerNode?: number;
  /** After a rebirth request, the next one for the same edge node waits this long (default 5,000 ms). */
  readonly rebirthHoldoffMs?: number;
}

/** A Sparkplug B host's view of the edge nodes it hears; see {@link createHostSession}. */
export interface HostSession {
  /** Reads one message; `undefined` for a topic outside `spBv1.0/`. Never throws on bad input. */
  receive(topic: string, payload: Uint8Array, now?: number): HostEvent | undefined;
  /** The current values (by metric name) of a born device, or `undefined`. */
  deviceValues(
    groupId: string,
    edgeNodeId: string,
    deviceId: string,
  ): ReadonlyMap<string, MetricValue> | undefined;
  /** Edge nodes tracked now. */
  readonly size: number;
}

interface AliasEntry {
  readonly name: string;
  readonly datatype: number | undefined;
  readonly deviceId: string | undefined;
}

interface NodeState {
  bdSeq: number | undefined;
  expectedSeq: number | undefined;
  born: boolean;
  readonly aliases: Map<number, AliasEntry>;
  readonly devices: Map<string, Map<string, MetricValue>>;
  lastRebirthAt: number;
}

const bdSeqOf = (payload: SparkplugPayload): number | undefined => {
  const metric = payload.metrics.find((m) => m.name === BD_SEQ);
  const value = metric?.value;
  return typeof value === 'bigint' || typeof value === 'number' ? Number(value) : undefined;
};

/**
 * Creates a Sparkplug B host's bookkeeping (Sparkplug 3.0 §5): alias maps from NBIRTH/DBIRTH, DATA
 * resolved by alias and read as the BIRTH's datatype, `seq` continuity per edge node, NDEATH
 * matched by `bdSeq`, and a rebirth request (NCMD `Node Control/Rebirth`) when a DATA names an
 * unknown alias, arrives before its BIRTH, or `seq` skips. Pure: the caller publishes the rebirth.
 * Bounded by {@link HostSessionOptions}.
 *
 * @example
 * ```ts
 * import { createHostSession } from '@ot-mqtt/sparkplug';
 * const host = createHostSession();
 * declare const topic: string;
 * declare const payload: Uint8Array;
 * const event = host.receive(topic, payload);
 * if (event?.kind === 'message') {
 *   for (const m of event.metrics) console.log(m.name, m.value);
 *   // if (event.rebirth) publish(event.rebirth.topic, event.rebirth.payload, { qos: 0 })
 * }
 * ```
 */
export function createHostSession(options: HostSessionOptions = {}): HostSession {
  const maxNodes = options.maxEdgeNodes ?? 10_000;
  const maxAliases = options.maxAliasesPerNode ?? 100_000;
  const holdoff = options.rebirthHoldoffMs ?? 5_000;
  const nodes = new Map<string, NodeState>();

  const nodeFor = (key: string): NodeState => {
    let node = nodes.get(key);
    if (node === undefined) {
      node = {
        bdSeq: undefined,
        expectedSeq: undefined,
        born: false,
        aliases: new Map(),
        devices: new Map(),
        lastRebirthAt: -Infinity,
      };
      if (nodes.size >= maxNodes) nodes.delete(nodes.keys().next().value as string);
    } else nodes.delete(key); // re-inserted below: Map order is least recently heard first
    nodes.set(key, node);
    return node;
  };

  const learn = (
    node: NodeState,
    metrics: readonly SparkplugMetric[],
    deviceId: string | undefined,
  ) => {
    for (const m of metrics) {
      if (m.alias === undefined || m.name === undefined) continue;
      if (!node.aliases.has(m.alias) && node.aliases.size >= maxAliases) break;
      node.aliases.set(m.alias, { name: m.name, datatype: m.datatype, deviceId });
    }
  };

  const resolve = (node: NodeState, metrics: readonly SparkplugMetric[], problems: string[]) =>
    metrics.map((m): ResolvedMetric => {
      const entry = m.alias === undefined ? undefined : node.aliases.get(m.alias);
      if (m.name === undefined && entry === undefined)
        problems.push(`unknown alias ${m.alias === undefined ? '(none)' : m.alias}`);
      const datatype = m.datatype ?? entry?.datatype;
      return {
        name: m.name ?? entry?.name,
        ...(m.alias === undefined ? {} : { alias: m.alias }),
        ...(datatype === undefined ? {} : { datatype }),
        value: m.datatype === undefined ? coerceMetricValue(m.value, datatype) : m.value,
        ...(m.timestamp === undefined ? {} : { timestamp: m.timestamp }),
      };
    });

  const store = (
    values: Map<string, MetricValue> | undefined,
    metrics: readonly ResolvedMetric[],
  ) => {
    if (values === undefined) return;
    for (const m of metrics)
      if (m.name !== undefined && values.has(m.name)) values.set(m.name, m.value);
  };

  return {
    get size() {
      return nodes.size;
    },
    deviceValues(groupId, edgeNodeId, deviceId) {
      return nodes.get(`${groupId}/${edgeNodeId}`)?.devices.get(deviceId);
    },
    receive(topic, bytes, now = Date.now()) {
      const parsed = parseSparkplugTopic(topic);
      if (parsed === undefined)
        return topic.startsWith('spBv1.0/')
          ? { kind: 'invalid', topic, problem: 'not a Sparkplug B topic' }
          : undefined;
      if (parsed.kind === 'state')
        return { kind: 'state', hostId: parsed.hostId, state: parseHostState(bytes) };

      let payload: SparkplugPayload;
      try {
        payload = decodePayload(bytes);
      } catch (error) {
        return { kind: 'invalid', topic, problem: (error as Error).message };
      }
      const { groupId, edgeNodeId, deviceId, type } = parsed;
      const node = nodeFor(`${groupId}/${edgeNodeId}`);
      const problems: string[] = [];
      let wantsRebirth = false;
      const checkSeq = () => {
        if (payload.seq === undefined) {
          problems.push('no seq');
          return;
        }
        if (node.expectedSeq !== undefined && payload.seq !== node.expectedSeq) {
          problems.push(`seq gap: expected ${node.expectedSeq}, got ${payload.seq}`);
          wantsRebirth = true;
        }
        node.expectedSeq = nextSeq(payload.seq);
      };
      const needBirth = (what: string) => {
        problems.push(`${type} before ${what}`);
        wantsRebirth = true;
      };

      let metrics: readonly ResolvedMetric[];
      let bdSeq: number | undefined;
      switch (type satisfies MessageType) {
        case 'NBIRTH':
          bdSeq = bdSeqOf(payload);
          node.bdSeq = bdSeq;
          node.born = true;
          node.aliases.clear();
          node.devices.clear();
          node.expectedSeq = undefined;
          checkSeq();
          learn(node, payload.metrics, undefined);
          metrics = resolve(node, payload.metrics, problems);
          break;
        case 'DBIRTH': {
          if (!node.born) needBirth('its NBIRTH');
          checkSeq();
          learn(node, payload.metrics, deviceId);
          metrics = resolve(node, payload.metrics, problems);
          const values = new Map<string, MetricValue>();
          for (const m of metrics) if (m.name !== undefined) values.set(m.name, m.value);
          node.devices.set(deviceId!, values);
          break;
        }
        case 'NDATA':
        case 'DDATA': {
          if (!node.born) needBirth('its NBIRTH');
          else if (deviceId !== undefined && !node.devices.has(deviceId)) needBirth('its DBIRTH');
          checkSeq();
          metrics = resolve(node, payload.metrics, problems);
          if (metrics.some((m) => m.name === undefined)) wantsRebirth = true;
          if (deviceId !== undefined) store(node.devices.get(deviceId), metrics);
          break;
        }
        case 'DDEATH':
          checkSeq();
          metrics = resolve(node, payload.metrics, problems);
          node.devices.delete(deviceId!);
          break;
        case 'NDEATH':
          bdSeq = bdSeqOf(payload);
          metrics = resolve(node, payload.metrics, problems);
          // A will registered by an older connection can arrive after the new NBIRTH (§6.4.25).
          if (node.bdSeq !== undefined && bdSeq !== node.bdSeq)
            problems.push(`stale NDEATH: bdSeq ${bdSeq ?? '(none)'}, current ${node.bdSeq}`);
          else {
            node.born = false;
            node.devices.clear();
            node.expectedSeq = undefined;
          }
          break;
        default:
          // NCMD, DCMD: commands of some host; shown, not tracked.
          metrics = resolve(node, payload.metrics, []);
          break;
      }

      let rebirth: SparkplugMessage | undefined;
      if (wantsRebirth && now - node.lastRebirthAt >= holdoff) {
        node.lastRebirthAt = now;
        rebirth = rebirthRequest(groupId, edgeNodeId, now);
      }
      return {
        kind: 'message',
        groupId,
        type,
        edgeNodeId,
        ...(deviceId === undefined ? {} : { deviceId }),
        ...(payload.seq === undefined ? {} : { seq: payload.seq }),
        ...(payload.timestamp === undefined ? {} : { timestamp: payload.timestamp }),
        ...(bdSeq === undefined ? {} : { bdSeq }),
        metrics,
        problems,
        ...(rebirth === undefined ? {} : { rebirth }),
      };
    },
  };
}
