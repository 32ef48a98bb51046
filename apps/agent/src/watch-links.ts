import { describeConnectionState, type Logger } from '@ot-mqtt/app-kit';
import type { Subscription } from 'rxjs';
import type { Link } from './agent-links.js';
import { connectedLinks } from './agent-summary.js';
import type { FirstOfKind } from './first-of-kind.js';

/** What {@link watchLinks} needs besides the links. */
export interface WatchLinksOptions {
  readonly logger: Logger;
  readonly firstOfKind: FirstOfKind;
  /** Each (re)connect of a link: the broker may have published its machines' wills meanwhile. */
  readonly onConnected: (link: Link) => void;
}

/**
 * Logs the data connections' state changes and events. One connection: every change. Many: one
 * line when all are up, the first problem of each kind per summary period, the rest at debug.
 */
export function watchLinks(links: readonly Link[], options: WatchLinksOptions): Subscription[] {
  const { logger, firstOfKind, onConnected } = options;
  let allUp = false;
  return links.flatMap((link) => [
    link.client.state$.subscribe((state) => {
      const record = describeConnectionState(state, link.client.url);
      if (links.length === 1) {
        logger[record.level](record.message, record.fields);
        return;
      }
      const fields = { ...record.fields, machineId: link.machineIds[0] };
      const up = connectedLinks(links);
      if (up === links.length && !allUp) {
        allUp = true;
        logger.info('connected', { url: link.client.url, connections: up });
      } else if (up < links.length) allUp = false;
      const problem = record.level === 'warn' || record.level === 'error';
      if (problem && firstOfKind.first(`state:${record.message}`))
        logger[record.level](`${record.message} (one of ${links.length} connections)`, fields);
      else logger.debug(record.message, fields);
    }),
    link.client.events$.subscribe((event) => {
      switch (event.type) {
        case 'connected':
          onConnected(link);
          // A new outage gets its own first failure of each kind logged, summary or not.
          if (links.length === 1) firstOfKind.reset();
          break;
        case 'session-lost':
          logger.warn('the broker had lost the session (e.g. restarted without persistence)', {
            clientId: link.client.clientId,
          });
          break;
        case 'republished':
          logger.info('resent unacknowledged messages after reconnect', { count: event.count });
          break;
        case 'dropped':
          logger.debug('message dropped', { topic: event.topic, reason: event.reason });
          break;
        default:
          break;
      }
    }),
  ]);
}
