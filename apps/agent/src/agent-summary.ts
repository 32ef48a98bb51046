import type { Logger } from '@ot-mqtt/app-kit';
import { filter, interval, type Subscription } from 'rxjs';
import type { Link } from './agent-links.js';
import type { FirstOfKind } from './first-of-kind.js';
import type { ScanCounters } from './scan-publisher.js';

/** Totals over many publishers (`nextSequence`: the highest). */
export const sumCounters = (counters: readonly ScanCounters[]): ScanCounters => {
  const total = {
    scans: 0,
    messages: 0,
    acked: 0,
    failed: 0,
    invalid: 0,
    delivered: 0,
    lost: 0,
    nextSequence: 0,
  };
  for (const c of counters) {
    total.scans += c.scans;
    total.messages += c.messages;
    total.acked += c.acked;
    total.failed += c.failed;
    total.invalid += c.invalid;
    total.delivered += c.delivered;
    total.lost += c.lost;
    total.nextSequence = Math.max(total.nextSequence, c.nextSequence);
  }
  return total;
};

/** Data connections currently up. */
export const connectedLinks = (links: readonly Link[]): number =>
  links.filter((l) => l.client.state.status === 'connected').length;

/** Logs the periodic `summary` line: scans, messages and the connections' outbox and state. */
export function logSummary(
  logger: Logger,
  links: readonly Link[],
  machines: number,
  c: ScanCounters,
): void {
  const stats = links.map((l) => l.client.stats());
  const total = (key: 'dropped' | 'outboxDepth' | 'inFlight' | 'reconnects') =>
    stats.reduce((n, s) => n + s[key], 0);
  logger.info('summary', {
    ...(machines > 1 ? { fillers: machines } : {}),
    scans: c.scans,
    messages: c.messages,
    acked: c.acked,
    failed: c.failed,
    dropped: total('dropped'),
    outbox: total('outboxDepth'),
    inFlight: total('inFlight'),
    reconnects: total('reconnects'),
    ...(links.length === 1
      ? { state: links[0]!.client.state.status }
      : { connected: `${connectedLinks(links)}/${links.length}` }),
  });
}

/** What {@link startSummaries} logs from, and how often. */
export interface SummaryOptions {
  readonly logger: Logger;
  readonly links: readonly Link[];
  /** Fillers this agent runs (shown when more than one). */
  readonly machines: number;
  readonly counters: () => ScanCounters;
  /** Each summary opens a new period: a repeated failure is logged once per summary. */
  readonly firstOfKind: FirstOfKind;
  /** `SUMMARY_INTERVAL` in ms; 0: only the final summary at stop. */
  readonly intervalMs: number;
  /** True once the agent stops: the periodic line gives way to the final one. */
  readonly stopping: () => boolean;
}

/**
 * The periodic `summary` line of both agents (JSON/binary and Sparkplug): `summary()` logs one now
 * (the final one, at stop), `subscriptions` log one every interval until stopping.
 */
export function startSummaries(options: SummaryOptions): {
  readonly summary: () => void;
  readonly subscriptions: Subscription[];
} {
  const summary = () => {
    logSummary(options.logger, options.links, options.machines, options.counters());
    options.firstOfKind.reset();
  };
  const subscriptions =
    options.intervalMs > 0
      ? [
          interval(options.intervalMs)
            .pipe(filter(() => !options.stopping()))
            .subscribe(summary),
        ]
      : [];
  return { summary, subscriptions };
}
