import { connectionMessage, type Link } from './agent-links.js';
import type { AgentConfig } from './config.js';

/**
 * Publishes `status`, retained, on the connection topic of every machine of `link`. Resolves
 * `undefined` when the broker acknowledged all of them, else the reason (never rejects).
 */
export const announce = (
  config: AgentConfig,
  link: Link,
  status: 'online' | 'offline',
): Promise<string | undefined> =>
  Promise.all(
    link.machineIds.map((id) => {
      const message = connectionMessage(config, status, id);
      return link.client.publish(message.topic, message.payload, { qos: 1, retain: true });
    }),
  ).then(
    () => undefined,
    (error: unknown) => (error as Error).message,
  );
