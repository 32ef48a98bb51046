import type { AlarmEventPayload } from '@ot-mqtt/tag-model';
import { brokerOptions } from './broker-options.js';
import type { GatewayConfig } from './config.js';
import { connectBrokers, type BrokerRetry } from './connect-brokers.js';
import type { Logger } from '@ot-mqtt/app-kit';

/** The MQTT side of the alarm server. */
export interface AlarmEventsPublisher {
  /** Publishes one event, QoS 1, not retained; dropped (and counted) past the pending bound. */
  publish(topic: string, payload: AlarmEventPayload): void;
  /** Events published and acknowledged by the broker, and dropped. */
  status(): { readonly published: number; readonly dropped: number; readonly pending: number };
  /** Disconnects (pending events are given up). */
  close(): Promise<void>;
}

/** Events waiting for a PUBACK (or for the broker to come back) before new ones are dropped. */
const MAX_PENDING = 10_000;

/**
 * A connection of its own, `<MQTT_CLIENT_ID>-alarms` with a clean session: the ingest connections'
 * persistent sessions hold back scans, and their client ids are the share group's members.
 */
export function startAlarmEventsPublisher(
  config: GatewayConfig,
  log: Logger,
): AlarmEventsPublisher {
  const clientId = `${config.clientId}-alarms`;
  const retries = {
    onRetry: (retry: BrokerRetry) =>
      log.debug('alarm events connection: retrying', { clientId, ...retry }),
  };
  const client = connectBrokers(config.mqttUrl, retries, {
    clientId,
    clean: true,
    protocolVersion: config.protocolVersion,
    ...brokerOptions(config),
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
  });
  client.on('connect', () => log.info('alarm events connected', { clientId }));
  client.on('error', (error) =>
    log.warn('alarm events connection error', { clientId, error: error.message }),
  );
  let published = 0;
  let dropped = 0;
  let pending = 0;
  return {
    publish(topic, payload) {
      if (pending >= MAX_PENDING) {
        dropped++;
        return;
      }
      pending++;
      client.publish(topic, JSON.stringify(payload), { qos: 1, retain: false }, (error) => {
        pending--;
        if (error) {
          dropped++;
          log.warn('alarm event not published', { topic, error: error.message });
        } else published++;
      });
    },
    status: () => ({ published, dropped, pending }),
    close: () => new Promise<void>((done) => client.end(true, {}, () => done())),
  };
}
