/** The Sparkplug B topic namespace (Sparkplug 3.0 §4.1). */
export const SPARKPLUG_NAMESPACE = 'spBv1.0';

/** Message types of an edge node (`N…`) and of its devices (`D…`) (§4.1.3). */
export const MESSAGE_TYPES = [
  'NBIRTH',
  'NDATA',
  'NDEATH',
  'NCMD',
  'DBIRTH',
  'DDATA',
  'DDEATH',
  'DCMD',
] as const;

/** One Sparkplug message type; see {@link MESSAGE_TYPES}. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

const TYPES = new Set<string>(MESSAGE_TYPES);

/** Where a Sparkplug message goes: a group, an edge node and, for `D…` types, a device. */
export interface SparkplugAddress {
  /** Group id, e.g. `Packaging`. */
  readonly groupId: string;
  /** Message type. */
  readonly type: MessageType;
  /** Edge node id, e.g. `ot-toolkit`. */
  readonly edgeNodeId: string;
  /** Device id: required for `DBIRTH`/`DDATA`/`DDEATH`/`DCMD`, absent for node messages. */
  readonly deviceId?: string;
}

/** A parsed Sparkplug topic: an edge node or device message, or a host application's STATE. */
export type ParsedSparkplugTopic =
  | ({ readonly kind: 'message' } & SparkplugAddress)
  | { readonly kind: 'state'; readonly hostId: string };

/**
 * Why a string cannot be a group, edge node, device or host id, or `undefined` if it can. Ids are
 * topic levels: non-empty, without the MQTT wildcards `+` `#` or the level separator `/` (§4.1.1),
 * and without control characters (they reach terminals and logs).
 *
 * @example
 * ```ts
 * import { sparkplugIdProblem } from '@ot-mqtt/sparkplug';
 * sparkplugIdProblem('Packaging'); // undefined
 * sparkplugIdProblem('line/1'); // 'must not contain "/", "+" or "#"'
 * ```
 */
export function sparkplugIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  if (/[/+#]/u.test(id)) return 'must not contain "/", "+" or "#"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/u.test(id)) return 'must not contain control characters';
  if (id.length > 256) return 'must be at most 256 characters';
  return undefined;
}

function check(label: string, id: string): void {
  const problem = sparkplugIdProblem(id);
  if (problem !== undefined) throw new TypeError(`${label} ${JSON.stringify(id)} ${problem}`);
}

const isDeviceType = (type: MessageType): boolean => type.startsWith('D');

/**
 * The topic of an edge node or device message:
 * `spBv1.0/<group>/<type>/<edgeNode>[/<device>]`.
 *
 * @throws TypeError if an id is not a valid topic level, a device type lacks its device or a node
 *   type has one.
 *
 * @example
 * ```ts
 * import { sparkplugTopic } from '@ot-mqtt/sparkplug';
 * sparkplugTopic({ groupId: 'Packaging', type: 'DDATA', edgeNodeId: 'ot-toolkit', deviceId: 'filler-01' });
 * // 'spBv1.0/Packaging/DDATA/ot-toolkit/filler-01'
 * ```
 */
export function sparkplugTopic(address: SparkplugAddress): string {
  check('groupId', address.groupId);
  check('edgeNodeId', address.edgeNodeId);
  if (!TYPES.has(address.type))
    throw new TypeError(`unknown Sparkplug message type ${address.type}`);
  const base = `${SPARKPLUG_NAMESPACE}/${address.groupId}/${address.type}/${address.edgeNodeId}`;
  if (!isDeviceType(address.type)) {
    if (address.deviceId !== undefined)
      throw new TypeError(`${address.type} is a node message: it takes no deviceId`);
    return base;
  }
  if (address.deviceId === undefined)
    throw new TypeError(`${address.type} is a device message: it needs a deviceId`);
  check('deviceId', address.deviceId);
  return `${base}/${address.deviceId}`;
}

/**
 * The retained topic on which a Sparkplug 3.0 host application announces itself (§4.2.3):
 * `spBv1.0/STATE/<hostId>`.
 *
 * @example
 * ```ts
 * import { hostStateTopic } from '@ot-mqtt/sparkplug';
 * hostStateTopic('scada-1'); // 'spBv1.0/STATE/scada-1'
 * ```
 */
export function hostStateTopic(hostId: string): string {
  check('hostId', hostId);
  return `${SPARKPLUG_NAMESPACE}/STATE/${hostId}`;
}

/**
 * Parses a topic of the Sparkplug namespace; `undefined` for anything else (another namespace, an
 * unknown type, a node type with a device level or the other way round, an empty level).
 *
 * @example
 * ```ts
 * import { parseSparkplugTopic } from '@ot-mqtt/sparkplug';
 * parseSparkplugTopic('spBv1.0/Packaging/NBIRTH/ot-toolkit');
 * // { kind: 'message', groupId: 'Packaging', type: 'NBIRTH', edgeNodeId: 'ot-toolkit' }
 * parseSparkplugTopic('spBv1.0/STATE/scada-1'); // { kind: 'state', hostId: 'scada-1' }
 * ```
 */
export function parseSparkplugTopic(topic: string): ParsedSparkplugTopic | undefined {
  // A subscriber of '#' hands every topic here: the others leave without a split.
  if (!topic.startsWith(`${SPARKPLUG_NAMESPACE}/`)) return undefined;
  const levels = topic.split('/');
  if (levels[0] !== SPARKPLUG_NAMESPACE) return undefined;
  if (levels[1] === 'STATE') {
    const hostId = levels[2];
    return levels.length === 3 && hostId !== undefined && sparkplugIdProblem(hostId) === undefined
      ? { kind: 'state', hostId }
      : undefined;
  }
  if (levels.length !== 4 && levels.length !== 5) return undefined;
  const [, groupId, type, edgeNodeId, deviceId] = levels as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (!TYPES.has(type)) return undefined;
  const messageType = type as MessageType;
  if (isDeviceType(messageType) !== (deviceId !== undefined)) return undefined;
  if ([groupId, edgeNodeId, deviceId ?? 'x'].some((id) => sparkplugIdProblem(id) !== undefined))
    return undefined;
  return {
    kind: 'message',
    groupId,
    type: messageType,
    edgeNodeId,
    ...(deviceId === undefined ? {} : { deviceId }),
  };
}

/** Payload of a host application's STATE topic (§4.2.3, JSON, not protobuf). */
export interface HostState {
  /** Whether the host application is connected. */
  readonly online: boolean;
  /** When the host set this state, ms since the epoch; newer wins. */
  readonly timestamp: number;
}

/**
 * Encodes a host application's STATE payload (`{"online":…,"timestamp":…}`), to be published QoS 1,
 * retained — and registered as the host's will with `online: false`.
 *
 * @example
 * ```ts
 * import { encodeHostState, hostStateTopic } from '@ot-mqtt/sparkplug';
 * const online = encodeHostState({ online: true, timestamp: Date.now() });
 * // publish(hostStateTopic('scada-1'), online, { qos: 1, retain: true })
 * ```
 */
export function encodeHostState(state: HostState): string {
  return JSON.stringify({ online: state.online, timestamp: state.timestamp });
}

/**
 * Parses a STATE payload; `undefined` if it is not the 3.0 JSON form (e.g. the 2.2 plain
 * `ONLINE`/`OFFLINE` text, which a 3.0 edge node ignores).
 *
 * @example
 * ```ts
 * import { parseHostState } from '@ot-mqtt/sparkplug';
 * parseHostState('{"online":true,"timestamp":1700000000000}'); // { online: true, timestamp: 1700000000000 }
 * ```
 */
export function parseHostState(payload: string | Uint8Array): HostState | undefined {
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { online, timestamp } = value as Record<string, unknown>;
  if (typeof online !== 'boolean' || typeof timestamp !== 'number' || !Number.isFinite(timestamp))
    return undefined;
  return { online, timestamp };
}
