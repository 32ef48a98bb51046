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
 * `config.shutdownTimeoutMs` for unacknowledged messages — and, during an outage, for the broker to
 * come back — then disconnects cleanly (so the broker does not send the last wills). Resolves with
 * what never reached the broker.
 */
export async function stopAgent(parts: StopAgentParts): Promise<AgentStopped> {
  const { config, logger, links, others, counters } = parts;
  const before = counters();
  const away = links.filter((l) => l.client.state.status !== 'connected');
  const queued = away.reduce((n, l) => n + l.client.stats().outboxDepth, 0);
  if (queued > 0)
    logger.info('broker unreachable: waiting for it to take the queued messages', {
      messages: queued,
      timeoutMs: config.shutdownTimeoutMs,
      ...(links.length > 1 ? { connections: `${away.length}/${links.length}` } : {}),
    });
  const announced = links.map((link) => announce(config, link, 'offline'));
  // awaitBroker: during an outage the clients keep reconnecting until the timeout instead of
  // dropping the outbox at once (issue 9), so a broker back in time still gets every scan.
  await Promise.all(
    [...links.map((l) => l.client), ...others].map((c) =>
      c.close({ timeoutMs: config.shutdownTimeoutMs, awaitBroker: true }),
    ),
  );
  const offlineSent = (await Promise.all(announced)).every((p) => p === undefined);
  parts.finish();
  // Neither acknowledged nor already reported failed when the shutdown began.
  const c = counters();
  const undelivered = c.messages - c.acked - before.failed;
  const undeliveredScans = c.scans - c.invalid - c.delivered - before.lost;
  if (!offlineSent) logger.warn('could not announce offline before disconnecting');
  return { undelivered, undeliveredScans };
}

/** What a shutdown left undelivered (pending when it began, never acknowledged). */
export interface AgentStopped {
  /** Messages. */
  readonly undelivered: number;
  /** Scans with at least one such message. */
  readonly undeliveredScans: number;
}
