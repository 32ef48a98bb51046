import { describeConnectionState, type Logger } from '@ot-mqtt/app-kit';
import { createMqttClient, createOutboxBudget, type MqttClient } from '@ot-mqtt/mqtt-client';
import { createBottleFiller, type BottleFiller } from '@ot-mqtt/plc-sim';
import { encodeConnection, type EncodedMessage } from '@ot-mqtt/tag-model';
import { filter, interval, type Subscription } from 'rxjs';
import { startCommandHandler, type CommandTarget } from './commands/command-handler.js';
import { createPackmlPublisher, type PackmlPublisher } from './commands/packml-publisher.js';
import { createRecentRequests } from './commands/recent-requests.js';
import type { AgentConfig } from './config.js';
import { startFleetScheduler } from './fleet-scheduler.js';
import { outboxLimits } from './outbox-limits.js';
import { createScanPublisher, type ScanCounters, type ScanPublisher } from './scan-publisher.js';

/**
 * Where the agent reports to its metrics (serve-metrics.ts) from the hot path; absent when
 * METRICS_PORT is unset, so an agent without metrics pays one `undefined` check per message.
 */
export interface AgentHooks {
  /** Each publish of a scan message, as it starts (settles on PUBACK or failure). */
  readonly onPublish: (publish: Promise<void>) => void;
  /** Each failed publish, with the client's error code. */
  readonly onPublishFailed: (code: string) => void;
  /** Each scan: how late it started after it was due, in ms. */
  readonly onScanLag: (lagMs: number) => void;
}

/** A running agent: one or many simulated fillers publishing through one or many MQTT connections. */
export interface RunningAgent {
  /** The MQTT clients: one when shared, one per filler with `CONNECTION_MODE=per-filler`. */
  readonly clients: readonly MqttClient[];
  /** Each simulated machine with its publisher's totals. */
  readonly machines: readonly { readonly id: string; counters(): ScanCounters }[];
  /** Scheduler wakes that found themselves a whole interval or more behind (overload). */
  schedulerBehind(): number;
  /** Totals over every filler of this agent. */
  counters(): ScanCounters;
  /**
   * Graceful shutdown: stops the simulators, announces `offline` for every machine, waits up to
   * `config.shutdownTimeoutMs` for unacknowledged messages, disconnects cleanly (so the broker does
   * not send the last wills). Resolves with the number of messages that never reached the broker.
   */
  stop(): Promise<{ readonly undelivered: number }>;
}

/** Optional behaviour of {@link startAgent}. */
export interface StartAgentOptions {
  /**
   * Publish each machine's PackML state, retained, on `<root>[/<machineId>]/packml` (default:
   * false). Off until the viewer and the end-to-end checks know the write-path topics: they treat
   * every topic under the root but the seven and `connection` as invalid (docs/commands.md).
   */
  readonly publishPackml?: boolean;
}

/** One MQTT connection and the machines publishing over it. */
interface Link {
  readonly client: MqttClient;
  readonly machineIds: readonly string[];
}

/** One simulated machine: its simulator, its publisher and how far its simulated time has run. */
interface Machine {
  readonly id: string;
  readonly filler: BottleFiller;
  readonly publisher: ScanPublisher;
  readonly packml: PackmlPublisher;
  startedAt: number | undefined;
  advancedMs: number;
  failed: boolean;
}

const sum = (counters: readonly ScanCounters[]): ScanCounters => {
  const total = { scans: 0, messages: 0, acked: 0, failed: 0, invalid: 0, nextSequence: 0 };
  for (const c of counters) {
    total.scans += c.scans;
    total.messages += c.messages;
    total.acked += c.acked;
    total.failed += c.failed;
    total.invalid += c.invalid;
    total.nextSequence = Math.max(total.nextSequence, c.nextSequence);
  }
  return total;
};

/**
 * Starts simulating and publishing. Scanning does not depend on the connection: while the broker
 * is unreachable scans wait in the client's bounded outbox and go out, in order, after reconnecting.
 */
export function startAgent(
  config: AgentConfig,
  logger: Logger,
  hooks?: AgentHooks,
  options: StartAgentOptions = {},
): RunningAgent {
  const root = config.topicRoot;
  const { fleet } = config;
  const includeMachineLevel = fleet.includeMachineLevel;
  const perFiller = fleet.connectionMode === 'per-filler';
  const connection = (status: 'online' | 'offline', machineId: string): EncodedMessage =>
    encodeConnection(status, {
      machineId,
      root,
      publishIntervalMs: config.publishIntervalMs,
      includeMachineLevel,
    });

  // One budget for the process: per-filler connections would otherwise each hold a full outbox.
  const budget = createOutboxBudget({ maxBytes: config.outbox.budgetBytes });
  const connect = (
    clientId: string,
    willFor: string | undefined,
    fillers: number,
    protocolVersion: 4 | 5 = 4,
  ): MqttClient => {
    const will = willFor === undefined ? undefined : connection('offline', willFor);
    return createMqttClient({
      ...(config.urls === undefined ? { url: config.url } : { urls: config.urls }),
      clientId,
      protocolVersion,
      keepaliveSeconds: config.keepaliveSeconds,
      // A persistent session: QoS 1 messages in flight when the link drops are completed after the
      // reconnect instead of being forgotten by the broker.
      clean: false,
      // The broker publishes this if the connection vanishes without DISCONNECT (crash, kill -9,
      // cable pulled). Its timestamp is when the will was registered, i.e. the agent's start.
      ...(will === undefined
        ? {}
        : { will: { topic: will.topic, payload: will.payload, qos: 1 as const, retain: true } }),
      ...(config.auth === undefined ? {} : { username: config.auth.username }),
      ...(config.auth?.password === undefined ? {} : { password: config.auth.password }),
      ...(config.tls === undefined ? {} : { tls: config.tls }),
      outbox: {
        ...outboxLimits(fillers, config.outbox.maxMessages),
        overflow: config.outbox.overflow,
        budget,
      },
    });
  };

  // An MQTT connection has one last will, so it can speak for one machine: a single filler, or each
  // filler of a per-filler fleet. A shared fleet connection registers none (docs/scaling.md): a
  // subscriber spots its crashed machines by their silence (publishIntervalMs).
  const links: Link[] = perFiller
    ? fleet.machineIds.map((id, i) => ({
        client: connect(fleet.clientIds[i]!, id, 1),
        machineIds: [id],
      }))
    : [
        {
          client: connect(
            fleet.clientIds[0]!,
            fleet.machineIds.length === 1 && !includeMachineLevel ? fleet.machineIds[0] : undefined,
            fleet.machineIds.length,
          ),
          machineIds: fleet.machineIds,
        },
      ];

  // Rate-limits repeated log lines: the first of each kind per summary period is logged, the rest
  // counted. During an outage with a full outbox every scan would otherwise log seven lines, and a
  // per-filler fleet of thousands would log every connection's every state change.
  const logged = new Set<string>();
  let stopping = false;
  const onFailure = (error: unknown, topic: string, sequence: number) => {
    const code = (error as { code?: string }).code ?? 'ERROR';
    hooks?.onPublishFailed(code);
    if (stopping || logged.has(code)) return;
    logged.add(code);
    logger.warn('publish failed (further failures of this kind counted in the summary)', {
      code,
      reason: (error as Error).message,
      topic,
      sequence,
    });
  };

  const machines: Machine[] = [];
  const linkOf = new Map<string, Link>();
  for (const link of links) {
    for (const id of link.machineIds) {
      linkOf.set(id, link);
      machines.push({
        id,
        filler: createBottleFiller({
          machineId: id,
          ...(config.seed === undefined ? {} : { seed: config.seed }),
        }),
        publisher: createScanPublisher({
          publish: hooks
            ? (topic, payload, options) => {
                const publish = link.client.publish(topic, payload, options);
                hooks.onPublish(publish);
                return publish;
              }
            : (topic, payload, options) => link.client.publish(topic, payload, options),
          machineId: id,
          root,
          includeMachineLevel,
          onFailure,
          onInvalid: (error, sequence) =>
            logger.error('scan skipped: simulator value rejected by the tag model', {
              machineId: id,
              sequence,
              reason: (error as Error).message,
            }),
        }),
        packml: createPackmlPublisher({
          publish: (topic, payload, options) => link.client.publish(topic, payload, options),
          machineId: id,
          root,
          includeMachineLevel,
          onFailure,
        }),
        startedAt: undefined,
        advancedMs: 0,
        failed: false,
      });
    }
  }
  const counters = () => sum(machines.map((m) => m.publisher.counters()));
  const connected = () => links.filter((l) => l.client.state.status === 'connected').length;

  const summary = () => {
    const c = counters();
    const stats = links.map((l) => l.client.stats());
    const total = (key: 'dropped' | 'outboxDepth' | 'inFlight' | 'reconnects') =>
      stats.reduce((n, s) => n + s[key], 0);
    logger.info('summary', {
      ...(machines.length > 1 ? { fillers: machines.length } : {}),
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
        : { connected: `${connected()}/${links.length}` }),
    });
    logged.clear();
  };

  const announce = (link: Link, status: 'online' | 'offline'): Promise<boolean> =>
    Promise.all(
      link.machineIds.map((id) => {
        const message = connection(status, id);
        return link.client.publish(message.topic, message.payload, { qos: 1, retain: true });
      }),
    ).then(
      () => true,
      (error: unknown) => {
        if (!stopping && status === 'online')
          logger.warn('could not announce online', { reason: (error as Error).message });
        return false;
      },
    );

  // Stepped to the wall clock, not by counting intervals: simulated time keeps pace even when a
  // timer fires late (the same rule as plc-sim's simulate$). Commands step to their arrival first.
  const timeScale = config.timeScale;
  const advance = (machine: Machine, now: number): void => {
    machine.startedAt ??= now;
    const targetMs = Math.round((now - machine.startedAt) * timeScale);
    if (targetMs > machine.advancedMs) {
      machine.filler.step(targetMs - machine.advancedMs);
      machine.advancedMs = targetMs;
    }
  };

  const subscriptions: Subscription[] = [];
  // Commands arrive on a connection of their own, over MQTT 5: a request's response topic,
  // correlation data and message expiry reach a subscriber only over MQTT 5, while the data
  // connections keep the architecture document's MQTT 3.1.1 (docs/commands.md). Its session is
  // persistent, so commands sent while the agent is away are delivered — or expire — on restart.
  const commandClient = connect(`${config.clientId}-commands`, undefined, 1, 5);
  const targets = new Map<string, CommandTarget>();
  for (const machine of machines) {
    targets.set(machine.id, {
      filler: machine.filler,
      catchUp: (now) => advance(machine, now),
      applied: (now) => {
        if (!options.publishPackml) return;
        machine.packml.update(
          machine.filler.packml,
          new Date(now),
          Math.max(0, machine.publisher.counters().nextSequence - 1),
        );
      },
    });
  }
  subscriptions.push(
    startCommandHandler({
      client: commandClient,
      machines: targets,
      root,
      includeMachineLevel,
      recent: createRecentRequests(),
      logger,
    }),
  );
  let allUp = false;
  for (const link of links) {
    subscriptions.push(
      link.client.state$.subscribe((state) => {
        const record = describeConnectionState(state, link.client.url);
        if (links.length === 1) {
          logger[record.level](record.message, record.fields);
          return;
        }
        // Many connections: one line when all are up, the first problem of each kind per summary
        // period, everything else at debug level.
        const fields = { ...record.fields, machineId: link.machineIds[0] };
        const up = connected();
        if (up === links.length && !allUp) {
          allUp = true;
          logger.info('connected', { url: link.client.url, connections: up });
        } else if (up < links.length) allUp = false;
        const key = `state:${record.message}`;
        if ((record.level === 'warn' || record.level === 'error') && !logged.has(key)) {
          logged.add(key);
          logger[record.level](`${record.message} (one of ${links.length} connections)`, fields);
        } else logger.debug(record.message, fields);
      }),
      link.client.events$.subscribe((event) => {
        switch (event.type) {
          case 'connected':
            // Every connect, not just the first: after a lost link the broker may have sent the will.
            void announce(link, 'online');
            // A new outage gets its own first failure of each kind logged, summary or not.
            if (links.length === 1) logged.clear();
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
    );
  }

  const scheduler = startFleetScheduler({
    count: machines.length,
    intervalMs: config.publishIntervalMs,
    onDue: (index, now, dueAt) => {
      const machine = machines[index]!;
      hooks?.onScanLag(now - dueAt);
      if (machine.failed) return;
      try {
        advance(machine, now);
        const at = new Date(now);
        machine.publisher.publish(machine.filler.snapshot(), at);
        if (options.publishPackml)
          machine.packml.update(
            machine.filler.packml,
            at,
            machine.publisher.counters().nextSequence - 1,
          );
      } catch (error) {
        machine.failed = true;
        logger.error('simulator stopped', {
          machineId: machine.id,
          reason: (error as Error).message,
        });
      }
    },
  });

  if (config.summaryIntervalMs > 0)
    subscriptions.push(
      interval(config.summaryIntervalMs)
        .pipe(filter(() => !stopping))
        .subscribe(summary),
    );

  let stopped: Promise<{ undelivered: number }> | undefined;
  return {
    clients: links.map((l) => l.client),
    machines: machines.map((m) => ({ id: m.id, counters: () => m.publisher.counters() })),
    schedulerBehind: () => scheduler.behind,
    counters,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        scheduler.stop();
        const failedBefore = counters().failed;
        const announced = links.map((link) => announce(link, 'offline'));
        await Promise.all(
          [...links.map((l) => l.client), commandClient].map((c) =>
            c.close({ timeoutMs: config.shutdownTimeoutMs }),
          ),
        );
        const offlineSent = (await Promise.all(announced)).every(Boolean);
        summary();
        for (const s of subscriptions) s.unsubscribe();
        // Messages neither acknowledged nor already reported failed when the shutdown began.
        const c = counters();
        const undelivered = c.messages - c.acked - failedBefore;
        if (!offlineSent) logger.warn('could not announce offline before disconnecting');
        return { undelivered };
      })();
      return stopped;
    },
  };
}
