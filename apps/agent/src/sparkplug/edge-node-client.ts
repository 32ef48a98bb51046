import { createMqttClient, createOutboxBudget, type MqttClient } from '@ot-mqtt/mqtt-client';
import type { EdgeNodeSession } from '@ot-mqtt/sparkplug';
import type { AgentConfig } from '../config.js';
import { outboxLimits } from '../outbox-limits.js';

/**
 * The edge node's one MQTT connection (Sparkplug 3.0 §5.4, §6.4.25): clean session, and the NDEATH
 * as the will, QoS 1, not retained — asked anew for every CONNECT, so each carries the next bdSeq.
 */
export function createEdgeNodeClient(config: AgentConfig, node: EdgeNodeSession): MqttClient {
  let connects = 0;
  return createMqttClient({
    ...(config.urls === undefined ? { url: config.url } : { urls: config.urls }),
    clientId: config.clientId,
    protocolVersion: 4,
    keepaliveSeconds: config.keepaliveSeconds,
    // A Sparkplug session starts clean: after a reconnect the births restate everything, and stale
    // DATA replayed from a persistent session would arrive before them.
    clean: true,
    will: () => {
      if (connects++ > 0) node.nextConnection();
      const { topic, payload } = node.will();
      return { topic, payload, qos: 1, retain: false };
    },
    ...(config.auth === undefined ? {} : { username: config.auth.username }),
    ...(config.auth?.password === undefined ? {} : { password: config.auth.password }),
    ...(config.tls === undefined ? {} : { tls: config.tls }),
    outbox: {
      ...outboxLimits(config.fleet.machineIds.length, config.outbox.maxMessages),
      overflow: config.outbox.overflow,
      budget: createOutboxBudget({ maxBytes: config.outbox.budgetBytes }),
    },
  });
}
