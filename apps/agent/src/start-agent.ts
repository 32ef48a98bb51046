import { createMqttClient, type MqttClient } from '@ot-mqtt/mqtt-client';
import { encodeConnection } from '@ot-mqtt/tag-model';
import { filter, interval, type Subscription } from 'rxjs';
import type { AgentConfig } from './config.js';
import { describeState } from './describe-state.js';
import type { Logger } from './logger.js';
import { runFiller } from './run-filler.js';
import type { ScanPublisher } from './scan-publisher.js';

/** A running agent: one simulated filler publishing through one MQTT connection. */
export interface RunningAgent {
  /** The MQTT client (for its counters and state). */
  readonly client: MqttClient;
  /** The filler's publisher (for its counters). */
  readonly publisher: ScanPublisher;
  /**
   * Graceful shutdown: stops the simulator, announces `offline`, waits up to
   * `config.shutdownTimeoutMs` for unacknowledged messages, disconnects cleanly (so the broker does
   * not send the last will). Resolves with the number of messages that never reached the broker.
   */
  stop(): Promise<{ readonly undelivered: number }>;
}

/**
 * Starts simulating and publishing. Scanning does not depend on the connection: while the broker
 * is unreachable scans wait in the client's bounded outbox and go out, in order, after reconnecting.
 */
export function startAgent(config: AgentConfig, logger: Logger): RunningAgent {
  const root = config.topicRoot;
  const machineId = config.machineId;
  const will = encodeConnection('offline', {
    machineId,
    root,
    publishIntervalMs: config.publishIntervalMs,
  });
  const client = createMqttClient({
    url: config.url,
    clientId: config.clientId,
    protocolVersion: 4,
    keepaliveSeconds: config.keepaliveSeconds,
    // A persistent session: QoS 1 messages in flight when the link drops are completed after the
    // reconnect instead of being forgotten by the broker.
    clean: false,
    // The broker publishes this if the agent vanishes without DISCONNECT (crash, kill -9, cable
    // pulled). Its timestamp is when the will was registered, i.e. the agent's start.
    will: { topic: will.topic, payload: will.payload, qos: 1, retain: true },
    ...(config.auth === undefined ? {} : { username: config.auth.username }),
    ...(config.auth?.password === undefined ? {} : { password: config.auth.password }),
    ...(config.tls === undefined ? {} : { tls: config.tls }),
    outbox: { maxMessages: config.outbox.maxMessages, overflow: config.outbox.overflow },
  });

  // Rate-limits publish failures: the first of each kind per summary period is logged, the rest
  // counted. During an outage with a full outbox every scan would otherwise log seven lines.
  const failuresLogged = new Set<string>();
  let stopping = false;
  const onFailure = (error: unknown, topic: string, sequence: number) => {
    const code = (error as { code?: string }).code ?? 'ERROR';
    if (stopping || failuresLogged.has(code)) return;
    failuresLogged.add(code);
    logger.warn('publish failed (further failures of this kind counted in the summary)', {
      code,
      reason: (error as Error).message,
      topic,
      sequence,
    });
  };

  const summary = () => {
    const c = publisher.counters();
    const s = client.stats();
    logger.info('summary', {
      scans: c.scans,
      messages: c.messages,
      acked: c.acked,
      failed: c.failed,
      dropped: s.dropped,
      outbox: s.outboxDepth,
      inFlight: s.inFlight,
      reconnects: s.reconnects,
      state: client.state.status,
    });
    failuresLogged.clear();
  };

  const announceOnline = () => {
    const online = encodeConnection('online', {
      machineId,
      root,
      publishIntervalMs: config.publishIntervalMs,
    });
    client
      .publish(online.topic, online.payload, { qos: 1, retain: true })
      .catch((error: unknown) => {
        if (!stopping)
          logger.warn('could not announce online', { reason: (error as Error).message });
      });
  };

  const subscriptions: Subscription[] = [];
  subscriptions.push(
    client.state$.subscribe((state) => {
      const record = describeState(state, client.url);
      logger[record.level](record.message, record.fields);
    }),
    client.events$.subscribe((event) => {
      switch (event.type) {
        case 'connected':
          // Every connect, not just the first: after a lost link the broker may have sent the will.
          announceOnline();
          // A new outage gets its own first failure of each kind logged, summary or not.
          failuresLogged.clear();
          break;
        case 'session-lost':
          logger.warn('the broker had lost the session (e.g. restarted without persistence)');
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
  );

  const filler = runFiller({
    machineId,
    ...(config.seed === undefined ? {} : { seed: config.seed }),
    intervalMs: config.publishIntervalMs,
    timeScale: config.timeScale,
    root,
    publish: (topic, payload, options) => client.publish(topic, payload, options),
    onFailure,
    onInvalid: (error, sequence) =>
      logger.error('scan skipped: simulator value rejected by the tag model', {
        sequence,
        reason: (error as Error).message,
      }),
    onError: (error) => logger.error('simulator stopped', { reason: (error as Error).message }),
  });
  const publisher = filler.publisher;
  if (config.summaryIntervalMs > 0)
    subscriptions.push(
      interval(config.summaryIntervalMs)
        .pipe(filter(() => !stopping))
        .subscribe(summary),
    );

  let stopped: Promise<{ undelivered: number }> | undefined;
  return {
    client,
    publisher,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        filler.stop();
        const failedBefore = publisher.counters().failed;
        const offline = encodeConnection('offline', {
          machineId,
          root,
          publishIntervalMs: config.publishIntervalMs,
        });
        const announced = client
          .publish(offline.topic, offline.payload, { qos: 1, retain: true })
          .then(
            () => true,
            () => false,
          );
        await client.close({ timeoutMs: config.shutdownTimeoutMs });
        const offlineSent = await announced;
        summary();
        for (const s of subscriptions) s.unsubscribe();
        // Messages neither acknowledged nor already reported failed when the shutdown began.
        const c = publisher.counters();
        const undelivered = c.messages - c.acked - failedBefore;
        if (!offlineSent) logger.warn('could not announce offline before disconnecting');
        return { undelivered };
      })();
      return stopped;
    },
  };
}
