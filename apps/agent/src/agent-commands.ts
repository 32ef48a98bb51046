import type { Logger } from '@ot-mqtt/app-kit';
import type { MqttClient } from '@ot-mqtt/mqtt-client';
import type { Subscription } from 'rxjs';
import type { Connect } from './agent-links.js';
import { startCommandHandler, type CommandTarget } from './commands/command-handler.js';
import { createRecentRequests } from './commands/recent-requests.js';
import { closeCommandsIfMqtt5Refused } from './commands-need-mqtt5.js';
import type { AgentConfig } from './config.js';

/** The agent's command connections and their handlers. */
export interface AgentCommands {
  readonly clients: readonly MqttClient[];
  readonly subscriptions: readonly Subscription[];
}

/**
 * Commands arrive on a connection of their own, over MQTT 5: a request's response topic,
 * correlation data and message expiry reach a subscriber only over MQTT 5, while the data
 * connections keep the architecture document's MQTT 3.1.1 (docs/commands.md). Its session is
 * persistent, so commands sent while the agent is away are delivered — or expire — on restart.
 *
 * With per-filler identities each machine takes its commands over a connection of its own, logged
 * in as that machine: the production ACL lets a machine read only its own command topic.
 */
export function startAgentCommands(
  config: AgentConfig,
  connect: Connect,
  targets: ReadonlyMap<string, CommandTarget>,
  logger: Logger,
): AgentCommands {
  const { fleet } = config;
  const recent = createRecentRequests();
  const groups: { clientId: string; machines: ReadonlyMap<string, CommandTarget>; i?: number }[] =
    fleet.identities === undefined
      ? [{ clientId: config.clientId, machines: targets }]
      : fleet.machineIds.map((id, i) => ({
          clientId: fleet.clientIds[i]!,
          machines: new Map([[id, targets.get(id)!]]),
          i,
        }));
  const clients: MqttClient[] = [];
  const subscriptions: Subscription[] = [];
  // A broker without MQTT 5 (a NATS cluster) refuses every command connection: say so once.
  let warned = false;
  const warnOnce = (message: string, fields: { url: string }) => {
    if (!warned) logger.warn(message, fields);
    warned = true;
  };
  for (const { clientId, machines, i } of groups) {
    const client = connect({
      clientId: `${clientId}-commands`,
      fillers: 1,
      protocolVersion: 5,
      auth: i === undefined ? undefined : fleet.identities?.[i],
    });
    clients.push(client);
    subscriptions.push(
      startCommandHandler({
        client,
        machines,
        root: config.topicRoot,
        includeMachineLevel: fleet.includeMachineLevel,
        recent,
        logger,
      }),
      closeCommandsIfMqtt5Refused(client, config.urls?.length ?? 1, warnOnce),
    );
  }
  return { clients, subscriptions };
}
