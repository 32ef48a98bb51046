import {
  createMqttClient,
  createOutboxBudget,
  type MqttClient,
  type OutboxBudget,
} from '@ot-mqtt/mqtt-client';
import { encodeConnection, type EncodedMessage } from '@ot-mqtt/tag-model';
import type { AgentConfig } from './config.js';
import type { MachineAuth } from './machine-identity.js';
import { outboxLimits } from './outbox-limits.js';

/** One MQTT connection and the machines publishing over it. */
export interface Link {
  readonly client: MqttClient;
  readonly machineIds: readonly string[];
}

/** The retained `online`/`offline` message of one machine (`<root>[/<machineId>]/connection`). */
export const connectionMessage = (
  config: AgentConfig,
  status: 'online' | 'offline',
  machineId: string,
): EncodedMessage =>
  encodeConnection(status, {
    machineId,
    root: config.topicRoot,
    publishIntervalMs: config.publishIntervalMs,
    includeMachineLevel: config.fleet.includeMachineLevel,
  });

/** What one connection of the agent is for. */
export interface ConnectionPurpose {
  readonly clientId: string;
  /** The machine whose `offline` the broker publishes if this connection vanishes, if any. */
  readonly willFor?: string | undefined;
  /** Fillers publishing over it (sizes the outbox). */
  readonly fillers: number;
  /** 4 (MQTT 3.1.1, the data connections) or 5 (commands). */
  readonly protocolVersion?: 4 | 5;
  /** This connection's own identity (per-filler identities), instead of MQTT_USERNAME/PASSWORD. */
  readonly auth?: MachineAuth | undefined;
}

/** Opens the agent's MQTT connections, all sharing one outbox budget. */
export type Connect = (purpose: ConnectionPurpose) => MqttClient;

/**
 * The agent's connection factory. One budget for the process: per-filler connections would
 * otherwise each hold a full outbox.
 */
export function createConnect(config: AgentConfig): Connect {
  const budget: OutboxBudget = createOutboxBudget({ maxBytes: config.outbox.budgetBytes });
  return ({ clientId, willFor, fillers, protocolVersion = 4, auth = config.auth }) => {
    const will = willFor === undefined ? undefined : connectionMessage(config, 'offline', willFor);
    return createMqttClient({
      ...(config.urls === undefined ? { url: config.url } : { urls: config.urls }),
      clientId,
      protocolVersion,
      keepaliveSeconds: config.keepaliveSeconds,
      // A persistent session: QoS 1 messages in flight when the link drops are completed after the
      // reconnect instead of being forgotten by the broker.
      clean: false,
      // The broker publishes this if the connection vanishes without DISCONNECT (crash, kill -9,
      // cable pulled). Its timestamp is when the will was registered, i.e. the agent's start.
      ...(will === undefined
        ? {}
        : { will: { topic: will.topic, payload: will.payload, qos: 1 as const, retain: true } }),
      ...(auth === undefined ? {} : { username: auth.username }),
      ...(auth?.password === undefined ? {} : { password: auth.password }),
      ...(config.tls === undefined ? {} : { tls: config.tls }),
      outbox: {
        ...outboxLimits(fillers, config.outbox.maxMessages),
        overflow: config.outbox.overflow,
        budget,
      },
    });
  };
}

/**
 * The data connections. An MQTT connection has one last will, so it can speak for one machine: a
 * single filler, or each filler of a per-filler fleet. A shared fleet connection registers none
 * (docs/scaling.md): a subscriber spots its crashed machines by their silence.
 */
export function openLinks(config: AgentConfig, connect: Connect): Link[] {
  const { fleet } = config;
  if (fleet.connectionMode === 'per-filler')
    return fleet.machineIds.map((id, i) => ({
      client: connect({
        clientId: fleet.clientIds[i]!,
        willFor: id,
        fillers: 1,
        auth: fleet.identities?.[i],
      }),
      machineIds: [id],
    }));
  const single = fleet.machineIds.length === 1 && !fleet.includeMachineLevel;
  return [
    {
      client: connect({
        clientId: fleet.clientIds[0]!,
        willFor: single ? fleet.machineIds[0] : undefined,
        fillers: fleet.machineIds.length,
      }),
      machineIds: fleet.machineIds,
    },
  ];
}
