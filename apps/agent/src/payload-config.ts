import type { PayloadCompression } from '@ot-mqtt/sparkplug';
import { sparkplugIdProblem } from '@ot-mqtt/sparkplug';

/** How the agent encodes its scans (PAYLOAD_* and SPARKPLUG_* variables). */
export type PayloadConfig =
  | { readonly format: 'json'; readonly compression: PayloadCompression }
  | {
      readonly format: 'sparkplug';
      readonly groupId: string;
      readonly edgeNodeId: string;
      /** Primary host whose STATE gates the births, if any. */
      readonly hostId?: string;
    };

/** The validated PAYLOAD_* / SPARKPLUG_* values, as parseEnv reads them. */
export interface PayloadValues {
  readonly PAYLOAD_FORMAT: 'json' | 'sparkplug';
  readonly PAYLOAD_COMPRESSION: PayloadCompression;
  readonly SPARKPLUG_GROUP_ID: string;
  readonly SPARKPLUG_EDGE_NODE_ID: string | undefined;
  readonly SPARKPLUG_HOST_ID: string | undefined;
}

/** What the payload variables need from the rest of the configuration. */
export interface PayloadContext {
  readonly clientId: string;
  readonly connectionMode: 'shared' | 'per-filler';
  /** Variables the user set (not defaulted). */
  readonly given: Readonly<Record<string, unknown>>;
  readonly fail: (
    variable: 'PAYLOAD_COMPRESSION' | 'CONNECTION_MODE' | 'SPARKPLUG_EDGE_NODE_ID',
    message: string,
  ) => void;
  readonly warn: (message: string) => void;
}

/**
 * Builds the payload configuration and checks what one variable alone cannot: compression only for
 * JSON, one Sparkplug edge node per agent (so no per-filler connections), an edge node id.
 */
export function payloadConfig(v: PayloadValues, context: PayloadContext): PayloadConfig {
  const { given, fail, warn } = context;
  if (v.PAYLOAD_FORMAT === 'json') {
    for (const name of ['SPARKPLUG_GROUP_ID', 'SPARKPLUG_EDGE_NODE_ID', 'SPARKPLUG_HOST_ID'])
      if (given[name] !== undefined) warn(`${name} has no effect with PAYLOAD_FORMAT=json`);
    return { format: 'json', compression: v.PAYLOAD_COMPRESSION };
  }
  if (v.PAYLOAD_COMPRESSION !== 'none')
    fail(
      'PAYLOAD_COMPRESSION',
      'applies to PAYLOAD_FORMAT=json only (Sparkplug B payloads are protobuf already)',
    );
  if (context.connectionMode === 'per-filler')
    fail(
      'CONNECTION_MODE',
      'per-filler is not available with PAYLOAD_FORMAT=sparkplug: the agent is one edge node with one connection (its NDEATH will), each filler a device',
    );
  const edgeNodeId = v.SPARKPLUG_EDGE_NODE_ID ?? context.clientId;
  const problem = sparkplugIdProblem(edgeNodeId);
  if (problem !== undefined)
    fail(
      'SPARKPLUG_EDGE_NODE_ID',
      `is unset and the MQTT client id ${JSON.stringify(edgeNodeId)} cannot stand in for it (${problem}): set it`,
    );
  return {
    format: 'sparkplug',
    groupId: v.SPARKPLUG_GROUP_ID,
    edgeNodeId,
    ...(v.SPARKPLUG_HOST_ID === undefined ? {} : { hostId: v.SPARKPLUG_HOST_ID }),
  };
}
