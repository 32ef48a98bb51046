import type { IPublishPacket, MqttClient } from 'mqtt';
import { formatPayloadError, parsePayload, type DataPayload } from '@ot-mqtt/tag-model';
import type { CommitQueue } from './commit-queue.js';
import { brokerOptions } from './broker-options.js';
import type { GatewayConfig } from './config.js';
import { brokerOf, connectBrokers, type BrokerRetry } from './connect-brokers.js';
import type { Logger } from '@ot-mqtt/app-kit';
import { PubackSequencer } from './puback-sequencer.js';
import { inflateIfCompressed } from './inflate-payload.js';
import { createSparkplugIngest } from './sparkplug-ingest.js';

/** What the ingest reports. */
export interface IngestStatus {
  /** Ingest connections connected to the broker with their subscriptions in place now (what /readyz needs). */
  readonly connected: number;
  /** Ingest connections in total. */
  readonly connections: number;
  /** Messages rejected (not a valid scan or connection payload, or a time out of range); acknowledged, never stored. */
  readonly rejected: number;
  /** Messages the broker flagged as redeliveries. */
  readonly redelivered: number;
  /** Messages received and not yet acknowledged, over all connections. */
  readonly unacknowledged: number;
}

/** Told about every message the ingest takes (the `/metrics` wiring listens here). */
export interface IngestObserver {
  /** A valid scan (the complete `data` message), before it is committed. */
  scan(scan: {
    readonly machineId: string;
    readonly sequence: number;
    /** The scan's own time, epoch ms. */
    readonly timestamp: number;
    readonly receivedAt: number;
  }): void;
  /** An agent's connection announcement (retained ones are the state before we subscribed). */
  connection(connection: {
    readonly machineId: string;
    readonly status: 'online' | 'offline';
    readonly publishIntervalMs: number | undefined;
    readonly retained: boolean;
    readonly receivedAt: number;
  }): void;
  /** A message rejected (invalid payload or a time outside the retention window). */
  invalid(): void;
}

/** The running subscription side of the gateway. */
export interface Ingest {
  /** Counters and connection state. */
  status(): IngestStatus;
  /** The MQTT connections (for connection metrics). */
  readonly clients: readonly MqttClient[];
  /** Disconnects without acknowledging anything still held. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;
const PUBACK_DEFERRED = new Error('PUBACK deferred until the scan is committed');

/**
 * Writes a PUBACK through mqtt.js's own packet writer (`_sendPacket`, what its handlers use): it
 * has no public call for a PUBACK outside `handleMessage`. Checked at start (see
 * {@link assertDeferrableAcks}) so an mqtt.js without it fails loudly, not silently unacknowledged.
 */
function sendPuback(client: MqttClient, messageId: number): void {
  (client as unknown as PacketWriter)._sendPacket({ cmd: 'puback', messageId });
}
interface PacketWriter {
  _sendPacket(packet: { cmd: 'puback'; messageId: number }): void;
}

/** Throws if this mqtt.js cannot write a PUBACK outside `handleMessage`. */
function assertDeferrableAcks(client: MqttClient): void {
  if (typeof (client as unknown as Partial<PacketWriter>)._sendPacket !== 'function')
    throw new Error('this mqtt.js has no _sendPacket: deferred PUBACKs are not possible');
}

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
 * its scan is committed, by a {@link PubackSequencer}: each connection holds up to
 * `ingestInflight` unacknowledged scans (its MQTT 5 receive maximum), so one commit covers up to
 * connections × in-flight scans. Killed at any moment, the gateway leaves every unacknowledged
 * scan in its sessions; the broker redelivers it and the store recognises what was already
 * committed.
 */
export function startIngest(
  config: GatewayConfig,
  queue: CommitQueue,
  log: Logger,
  // The alarm server: runs after the commit and before the PUBACK, so a scan is acknowledged
  // only once its alarm transitions are journalled too.
  onCommitted?: (scan: DataPayload, topic: string) => Promise<void>,
  observer?: IngestObserver,
): Ingest {
  let rejected = 0;
  let redelivered = 0;
  let lastRejectLog = 0;
  const reject = (topic: string, reason: string) => {
    rejected++;
    observer?.invalid();
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

  const clients: MqttClient[] = [];
  // Sparkplug B (GATEWAY_SPARKPLUG): its rebirth requests go out on the first connection.
  const sparkplug = config.sparkplug
    ? createSparkplugIngest(
        {
          writeScan: (scan) => queue.writeScan(scan),
          writeConnection: (...args) => queue.writeConnection(...args),
          publish: (m) => void clients[0]?.publish(m.topic, Buffer.from(m.payload), { qos: 0 }),
        },
        reject,
      )
    : undefined;

  const handle = async (packet: IPublishPacket): Promise<void> => {
    if (packet.dup) redelivered++;
    const raw =
      typeof packet.payload === 'string' ? packet.payload : new Uint8Array(packet.payload);
    const fromSparkplug =
      typeof raw === 'string' ? undefined : sparkplug?.handle(packet.topic, raw);
    if (fromSparkplug !== undefined) return fromSparkplug;
    // PAYLOAD_COMPRESSION: compressed JSON marks itself; inflated here, stored like any scan.
    const payload = inflateIfCompressed(raw);
    const parsed = parsePayload(packet.topic, payload, { root: config.topicRoot });
    if (!parsed.ok) return reject(packet.topic, formatPayloadError(parsed.error));
    if (parsed.kind === 'connection') {
      const value = parsed.value;
      observer?.connection({
        machineId: value.machineId,
        status: value.status,
        publishIntervalMs: value.publishIntervalMs,
        retained: packet.retain,
        receivedAt: Date.now(),
      });
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
    observer?.scan({
      machineId: parsed.value.machineId,
      sequence: parsed.value.sequence,
      timestamp: ts,
      receivedAt: now,
    });
    await queue.writeScan(parsed.value);
    await onCommitted?.(parsed.value, packet.topic);
  };

  const sequencers: PubackSequencer[] = [];
  const connected = new Set<number>();
  for (let n = 0; n < config.ingestConnections; n++) {
    const clientId = `${config.clientId}-${n}`;
    const retries = { onRetry: logRetry(log, clientId) };
    const client = connectBrokers(config.mqttUrl, retries, {
      clientId,
      clean: false,
      protocolVersion: config.protocolVersion,
      // The session (subscription and every unacknowledged scan) outlives a crash or restart;
      // MQTT 3.1.1 sessions last as long as the broker keeps them (persistent_client_expiration).
      ...(config.protocolVersion === 5
        ? {
            properties: {
              sessionExpiryInterval: 7 * 86_400,
              // Bounds what the broker sends ahead of our acknowledgements: the batch and memory.
              receiveMaximum: config.ingestInflight,
            },
          }
        : {}),
      ...brokerOptions(config),
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      // We subscribe ourselves, only when the broker has no session for us.
      resubscribe: false,
    });
    assertDeferrableAcks(client);
    const sequencer = new PubackSequencer(
      (messageId) => sendPuback(client, messageId),
      config.ingestInflight,
    );
    sequencers.push(sequencer);
    const failed = (packet: IPublishPacket) => (error: unknown) => {
      // Only a bug can get here; not acknowledging keeps the message with the broker.
      log.error('message handling failed (not acknowledged)', {
        topic: packet.topic,
        error: error instanceof Error ? error.message : String(error),
      });
    };
    client.handleMessage = (packet, callback) => {
      if (packet.qos !== 1 || packet.messageId === undefined) {
        handle(packet).then(() => callback(), failed(packet));
        return;
      }
      // An error makes mqtt.js skip its own PUBACK and go on to the next message; ours follows
      // the commit.
      const acknowledge = sequencer.receive(packet.messageId, () => callback(PUBACK_DEFERRED));
      handle(packet).then(acknowledge, failed(packet));
    };
    let subscribePending = false;
    let retry: NodeJS.Timeout | undefined;
    const subscribe = () => {
      subscribePending = true;
      const filters: Record<string, { qos: 1 }> = {};
      for (const f of dataFilters(config)) filters[f] = { qos: 1 };
      // The retained connection states go to every gateway (not shared), on the first connection only.
      if (n === 0) {
        filters[`${config.topicRoot}/connection`] = { qos: 1 };
        filters[`${config.topicRoot}/+/connection`] = { qos: 1 };
        // Not shared: a Sparkplug host must see every message of an edge node, in order.
        if (config.sparkplug) filters['spBv1.0/#'] = { qos: 1 };
      }
      client.subscribe(filters, (error, granted) => {
        const refused = granted?.filter((g) => g.qos > 2) ?? [];
        if (!error && refused.length === 0) {
          subscribePending = false;
          if (client.connected) connected.add(n);
          return;
        }
        log.error('subscription refused by the broker', {
          clientId,
          error: error?.message ?? refused.map((g) => g.topic).join(','),
        });
        // A NATS cluster refuses SUBSCRIBE while it elects a new stream leader after a node died:
        // tried again while connected (and at the next connect otherwise).
        if (client.connected) retry = setTimeout(subscribe, 1_000);
      });
    };
    // Ready (counted as connected) once the broker holds the subscription: a scan published between
    // the CONNACK and the SUBACK of a new session would reach no one.
    client.on('connect', (connack) => {
      log.info('ingest connected', {
        clientId,
        broker: brokerOf(client),
        sessionPresent: connack.sessionPresent,
      });
      // A session whose SUBSCRIBE was never acknowledged (the connection died first: a NATS node
      // killed before its slow SUBACK) may lack the subscription: subscribing again is harmless.
      if (connack.sessionPresent && !subscribePending) {
        connected.add(n);
        return;
      }
      subscribe();
    });
    client.on('close', () => {
      clearTimeout(retry);
      sequencer.reset();
      connected.delete(n);
    });
    client.on('error', (error) =>
      log.warn('ingest connection error', { clientId, error: error.message }),
    );
    clients.push(client);
  }

  return {
    clients,
    status: () => ({
      connected: connected.size,
      connections: clients.length,
      rejected,
      redelivered,
      unacknowledged: sequencers.reduce((n, s) => n + s.held, 0),
    }),
    async close() {
      // Forced: no DISCONNECT wait for acks we will never send; the session keeps them.
      await Promise.all(
        clients.map((c) => new Promise<void>((done) => c.end(true, {}, () => done()))),
      );
    },
  };
}

/** One line per failed attempt or lost connection of an ingest connection, naming the node. */
const logRetry = (log: Logger, clientId: string) => (retry: BrokerRetry) =>
  log.warn(
    retry.wasConnected
      ? 'ingest disconnected: reconnecting'
      : 'ingest broker unreachable: retrying',
    { clientId, broker: retry.broker, error: retry.error, retryInMs: retry.delayMs },
  );
