import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { formatPayloadError, parsePayload } from '@ot-mqtt/tag-model';
import type { CommitQueue } from './commit-queue.js';
import type { GatewayConfig } from './config.js';
import type { Logger } from './log.js';

/** What the ingest reports. */
export interface IngestStatus {
  /** Ingest connections connected to the broker now. */
  readonly connected: number;
  /** Ingest connections in total. */
  readonly connections: number;
  /** Messages rejected (not a valid scan or connection payload, or a time out of range); acknowledged, never stored. */
  readonly rejected: number;
  /** Messages the broker flagged as redeliveries. */
  readonly redelivered: number;
}

/** The running subscription side of the gateway. */
export interface Ingest {
  /** Counters and connection state. */
  status(): IngestStatus;
  /** Disconnects without acknowledging anything still held. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Topic filters of the shared data subscription: single-machine and fleet topics. */
export function dataFilters(config: Pick<GatewayConfig, 'shareGroup' | 'topicRoot'>): string[] {
  const base =
    config.shareGroup === undefined
      ? config.topicRoot
      : `$share/${config.shareGroup}/${config.topicRoot}`;
  return [`${base}/data`, `${base}/+/data`];
}

/**
 * Connects `ingestConnections` MQTT 5 clients with persistent sessions (fixed client ids
 * `<clientId>-<n>`) to one shared subscription group, QoS 1. A message's PUBACK is sent only after
 * its scan is committed: `handleMessage` is overridden, and mqtt.js writes the PUBACK when its
 * callback runs. Killed at any moment, the gateway leaves every unacknowledged scan in its
 * sessions; the broker redelivers it and the store recognises what was already committed.
 */
export function startIngest(config: GatewayConfig, queue: CommitQueue, log: Logger): Ingest {
  let rejected = 0;
  let redelivered = 0;
  let lastRejectLog = 0;
  const reject = (topic: string, reason: string) => {
    rejected++;
    // Rate-limited: a flood of bad messages must not become a flood of log lines.
    if (Date.now() - lastRejectLog > 5_000) {
      lastRejectLog = Date.now();
      log.warn('message rejected (acknowledged, not stored)', {
        topic,
        reason,
        rejectedSoFar: rejected,
      });
    }
  };

  const handle = async (packet: IPublishPacket): Promise<void> => {
    if (packet.dup) redelivered++;
    const payload =
      typeof packet.payload === 'string' ? packet.payload : new Uint8Array(packet.payload);
    const parsed = parsePayload(packet.topic, payload, { root: config.topicRoot });
    if (!parsed.ok) return reject(packet.topic, formatPayloadError(parsed.error));
    if (parsed.kind === 'connection') {
      const value = parsed.value;
      return queue.writeConnection(
        value.machineId,
        value.status,
        value.timestamp,
        value.publishIntervalMs,
      );
    }
    if (parsed.kind !== 'data') return; // only the complete dataset is stored
    const ts = Date.parse(parsed.value.timestamp);
    const now = Date.now();
    // A scan from far in the future or beyond retention would be dropped anyway (and, on
    // PostgreSQL, would create partitions for it): a PLC clock problem, reported.
    if (ts > now + DAY_MS || ts < now - config.retentionDays * DAY_MS) {
      return reject(
        packet.topic,
        `timestamp ${parsed.value.timestamp} outside the retention window`,
      );
    }
    return queue.writeScan(parsed.value);
  };

  const clients: MqttClient[] = [];
  const connected = new Set<number>();
  for (let n = 0; n < config.ingestConnections; n++) {
    const clientId = `${config.clientId}-${n}`;
    const client = mqtt.connect(config.mqttUrl, {
      clientId,
      clean: false,
      protocolVersion: config.protocolVersion,
      // The session (subscription and every unacknowledged scan) outlives a crash or restart;
      // MQTT 3.1.1 sessions last as long as the broker keeps them (persistent_client_expiration).
      ...(config.protocolVersion === 5
        ? { properties: { sessionExpiryInterval: 7 * 86_400 } }
        : {}),
      username: config.username,
      password: config.password,
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      keepalive: 30,
      // We subscribe ourselves, only when the broker has no session for us.
      resubscribe: false,
    });
    client.handleMessage = (packet, callback) => {
      handle(packet as IPublishPacket).then(
        () => callback(),
        (error: unknown) => {
          // Only a bug can get here; not acknowledging keeps the message with the broker.
          log.error('message handling failed (not acknowledged)', {
            topic: (packet as IPublishPacket).topic,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      );
    };
    client.on('connect', (connack) => {
      connected.add(n);
      log.info('ingest connected', { clientId, sessionPresent: connack.sessionPresent });
      if (connack.sessionPresent) return;
      const filters: Record<string, { qos: 1 }> = {};
      for (const f of dataFilters(config)) filters[f] = { qos: 1 };
      // The retained connection states go to every gateway (not shared), on the first connection only.
      if (n === 0) {
        filters[`${config.topicRoot}/connection`] = { qos: 1 };
        filters[`${config.topicRoot}/+/connection`] = { qos: 1 };
      }
      client.subscribe(filters, (error, granted) => {
        const refused = granted?.filter((g) => g.qos > 2) ?? [];
        if (error || refused.length > 0) {
          log.error('subscription refused by the broker', {
            clientId,
            error: error?.message ?? refused.map((g) => g.topic).join(','),
          });
        }
      });
    });
    client.on('close', () => {
      if (connected.delete(n)) log.warn('ingest disconnected: reconnecting', { clientId });
    });
    client.on('error', (error) =>
      log.warn('ingest connection error', { clientId, error: error.message }),
    );
    clients.push(client);
  }

  return {
    status: () => ({
      connected: connected.size,
      connections: clients.length,
      rejected,
      redelivered,
    }),
    async close() {
      // Forced: no DISCONNECT wait for acks we will never send; the session keeps them.
      await Promise.all(
        clients.map((c) => new Promise<void>((done) => c.end(true, {}, () => done()))),
      );
    },
  };
}
