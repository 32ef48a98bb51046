import type { Logger } from '@ot-mqtt/app-kit';
import type { MqttClient } from '@ot-mqtt/mqtt-client';
import type { Link } from './agent-links.js';
import { announce } from './announce.js';
import type { AgentConfig } from './config.js';
import type { ScanCounters } from './scan-publisher.js';

/** What {@link stopAgent} shuts down. */
export interface StopAgentParts {
  readonly config: AgentConfig;
  readonly logger: Logger;
  readonly links: readonly Link[];
  /** Connections besides the data links (commands). */
  readonly others: readonly MqttClient[];
  readonly counters: () => ScanCounters;
  /** Called once nothing more is published: the last summary line, unsubscribing. */
  readonly finish: () => void;
}

/**
 * Graceful shutdown once scanning has stopped: announces `offline` for every machine, waits up to
 * `config.shutdownTimeoutMs` for unacknowledged messages, disconnects cleanly (so the broker does
 * not send the last wills). Resolves with the number of messages that never reached the broker.
 */
export async function stopAgent(parts: StopAgentParts): Promise<{ undelivered: number }> {
  const { config, logger, links, others, counters } = parts;
  const failedBefore = counters().failed;
  const announced = links.map((link) => announce(config, link, 'offline'));
  await Promise.all(
    [...links.map((l) => l.client), ...others].map((c) =>
      c.close({ timeoutMs: config.shutdownTimeoutMs }),
    ),
  );
  const offlineSent = (await Promise.all(announced)).every((p) => p === undefined);
  parts.finish();
  // Messages neither acknowledged nor already reported failed when the shutdown began.
  const c = counters();
  const undelivered = c.messages - c.acked - failedBefore;
  if (!offlineSent) logger.warn('could not announce offline before disconnecting');
  return { undelivered };
}
