import type { MqttClient, MqttMessage } from '@ot-mqtt/mqtt-client';
import type { BottleFiller, CommandOutcome } from '@ot-mqtt/plc-sim';
import { commandReplyTopic, commandTopic, parseCommand } from '@ot-mqtt/tag-model';
import type { CommandReply } from '@ot-mqtt/tag-model';
import type { Subscription } from 'rxjs';
import type { Logger } from '@ot-mqtt/app-kit';
import type { RecentRequests } from './recent-requests.js';

/** A machine commands can reach. */
export interface CommandTarget {
  readonly filler: BottleFiller;
  /** Steps the simulator to the wall clock, so a command applies at the time it arrives. */
  catchUp(now: number): void;
  /** Called after a command was applied (e.g. to publish the new PackML state at once). */
  applied(now: number): void;
}

export interface CommandHandlerOptions {
  /** The connection the machines publish over; commands for them arrive on it. */
  readonly client: MqttClient;
  /** The machines of this connection, by id. */
  readonly machines: ReadonlyMap<string, CommandTarget>;
  readonly root: string;
  /** Fleet topics (`<root>/<machineId>/command`) instead of the single filler's `<root>/command`. */
  readonly includeMachineLevel: boolean;
  /** Outcomes of recent requests, shared by every connection of the agent (bounded). */
  readonly recent: RecentRequests;
  readonly logger: Logger;
  /** Wall clock (default `Date.now`). */
  readonly now?: () => number;
}

/** MQTT 5 PUBLISH properties a request may carry, as mqtt.js decodes them. */
interface RequestProperties {
  readonly responseTopic?: unknown;
  readonly correlationData?: unknown;
  readonly messageExpiryInterval?: unknown;
}

const MAX_REASON = 500;
// Malformed commands are logged one line each up to this many per minute, then counted: a sender
// flooding garbage must not flood the log.
const MALFORMED_LOG_PER_MINUTE = 20;

/**
 * Takes commands for the machines of one connection and applies them as the filler's PLC would:
 * subscribes (QoS 1) to `<root>/command`, or `<root>/<machineId>/command` in a fleet, and answers
 * every request on its MQTT 5 response topic with its correlation data, else (an MQTT 3.1.1
 * sender) on `<root>[/<machineId>]/command/reply`. A request id seen before is answered again
 * with the first outcome and not applied twice; a malformed command is answered with the problem
 * when it has a request id, and logged; a retained command is never applied (it would be applied
 * again on every restart). Commands whose MQTT 5 message expiry has passed never reach the agent:
 * the broker discards them (MQTT 5 §3.3.2.3.3); one that arrives with no time left is refused.
 *
 * @returns The subscription; unsubscribe to stop taking commands.
 */
export function startCommandHandler(options: CommandHandlerOptions): Subscription {
  const { client, machines, root, includeMachineLevel, recent, logger } = options;
  const now = options.now ?? Date.now;
  const single = includeMachineLevel ? undefined : [...machines.keys()][0];
  // A fleet connection takes every machine's commands with one subscription; commands for machines
  // of another shard arrive too and are ignored (the broker's ACL decides what may reach us).
  const filter = includeMachineLevel
    ? machines.size === 1
      ? commandTopic({ root, machineId: [...machines.keys()][0]! })
      : `${root}/+/command`
    : commandTopic({ root });

  let minute = 0;
  let loggedThisMinute = 0;
  let suppressed = 0;
  const logMalformed = (message: string, fields: Record<string, string | number | undefined>) => {
    const current = Math.floor(now() / 60_000);
    if (current !== minute) {
      if (suppressed > 0) logger.warn('malformed commands not logged', { count: suppressed });
      minute = current;
      loggedThisMinute = 0;
      suppressed = 0;
    }
    if (loggedThisMinute++ < MALFORMED_LOG_PER_MINUTE) logger.warn(message, fields);
    else suppressed++;
  };

  const reply = (
    message: MqttMessage,
    machineId: string,
    filler: BottleFiller,
    answer: Pick<CommandReply, 'requestId' | 'accepted' | 'reason' | 'duplicate'>,
  ): void => {
    const properties = (message.properties ?? {}) as RequestProperties;
    const responseTopic =
      typeof properties.responseTopic === 'string' && properties.responseTopic.length > 0
        ? properties.responseTopic
        : undefined;
    const correlationData =
      properties.correlationData instanceof Uint8Array ? properties.correlationData : undefined;
    const topic =
      responseTopic ?? commandReplyTopic({ root, ...(includeMachineLevel ? { machineId } : {}) });
    const body: CommandReply = {
      requestId: answer.requestId,
      accepted: answer.accepted,
      ...(answer.reason === undefined ? {} : { reason: answer.reason.slice(0, MAX_REASON) }),
      state: filler.snapshot().status,
      packml: filler.packml,
      machineId,
      timestamp: new Date(now()).toISOString(),
      ...(answer.duplicate ? { duplicate: true } : {}),
    };
    client
      .publish(topic, JSON.stringify(body), {
        qos: 1,
        retain: false,
        properties: {
          contentType: 'application/json',
          ...(correlationData === undefined ? {} : { correlationData }),
        },
      })
      .catch((error: unknown) =>
        logger.warn('command reply not sent', {
          machineId,
          requestId: answer.requestId,
          topic,
          reason: (error as Error).message,
        }),
      );
  };

  const handle = (message: MqttMessage): void => {
    const machineId = single ?? message.topic.slice(root.length + 1).split('/')[0] ?? '';
    const target = machines.get(machineId);
    if (target === undefined) return;
    const { filler } = target;
    const parsed = parseCommand(message.payload);
    if (!parsed.ok) {
      logMalformed('malformed command', {
        machineId,
        topic: message.topic,
        requestId: parsed.requestId,
        reason: parsed.error,
      });
      if (parsed.requestId !== undefined) {
        const reason = `malformed command: ${parsed.error}`;
        reply(message, machineId, filler, { requestId: parsed.requestId, accepted: false, reason });
      }
      return;
    }
    const { command, fault, requestId } = parsed.command;
    const expiry = (message.properties as RequestProperties | undefined)?.messageExpiryInterval;
    let outcome: CommandOutcome | undefined;
    if (message.retain) {
      outcome = {
        accepted: false,
        reason: 'retained command not applied: publish commands with retain false',
      };
    } else if (typeof expiry === 'number' && expiry <= 0) {
      outcome = { accepted: false, reason: 'expired: its message expiry interval has passed' };
    } else {
      const previous = recent.get(machineId, requestId);
      if (previous !== undefined) {
        logger.info('command repeated: answered again, not applied again', {
          machineId,
          command,
          requestId,
        });
        reply(message, machineId, filler, { requestId, ...previous, duplicate: true });
        return;
      }
      target.catchUp(now());
      outcome = filler.command(fault === undefined ? { command } : { command, fault });
      recent.remember(machineId, requestId, outcome);
      if (outcome.accepted) target.applied(now());
    }
    logger.info(outcome.accepted ? 'command applied' : 'command refused', {
      machineId,
      command,
      ...(fault === undefined ? {} : { fault }),
      requestId,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      state: filler.packml.state,
    });
    reply(message, machineId, filler, { requestId, ...outcome });
  };

  return client.observe(filter, { qos: 1 }).subscribe({
    next: (message) => {
      try {
        handle(message);
      } catch (error) {
        // A command must never take the agent down: whatever went wrong is logged and the next
        // command is handled as usual.
        logger.error('command failed', { topic: message.topic, reason: (error as Error).message });
      }
    },
    error: (error: unknown) =>
      logger.error('command subscription failed', {
        filter,
        reason: (error as Error).message,
      }),
  });
}
