import type { Logger } from '@ot-mqtt/app-kit';
import type { MqttMessage } from '@ot-mqtt/mqtt-client';
import { createBottleFiller, startSimulatedFleet } from '@ot-mqtt/plc-sim';
import {
  createEdgeNodeSession,
  decodePayload,
  hostStateTopic,
  isRebirthRequest,
  parseHostState,
  parseSparkplugTopic,
  sparkplugTopic,
  type SparkplugMessage,
  type SparkplugPayload,
} from '@ot-mqtt/sparkplug';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import type { Subscription } from 'rxjs';
import { startSummaries, sumCounters } from '../agent-summary.js';
import type { AgentConfig } from '../config.js';
import { createFirstOfKind } from '../first-of-kind.js';
import type { ScanCounters } from '../scan-publisher.js';
import type { AgentHooks, RunningAgent } from '../start-agent.js';
import type { AgentStopped } from '../stop-agent.js';
import { watchLinks } from '../watch-links.js';
import { applyDeviceCommand } from './device-commands.js';
import { createEdgeNodeClient } from './edge-node-client.js';
import { logWallClockStep } from '../log-wall-clock-step.js';
import { scenariosByMachine } from '../sim-scenarios.js';

interface DeviceCounters {
  scans: number;
  messages: number;
  acked: number;
  failed: number;
}

/**
 * The agent as a Sparkplug B 3.0 edge node (PAYLOAD_FORMAT=sparkplug, docs/sparkplug.md): one
 * connection with the NDEATH as its will; after each connect (and, with SPARKPLUG_HOST_ID, once
 * the primary host's STATE says online) NBIRTH and one DBIRTH per filler, then DDATA by exception
 * each scan; NCMD `Node Control/Rebirth` births again; the primary host going offline means NDEATH
 * and a new MQTT session (next bdSeq) whose births wait for the host; DCMD `Commands/<command>`
 * writes reach the filler as the JSON commands do; a clean stop sends DDEATHs and the NDEATH before DISCONNECT.
 * All Sparkplug publishes are QoS 0, not retained (§ "QoS and retain" of the specification).
 */
export function startSparkplugAgent(
  config: AgentConfig,
  logger: Logger,
  hooks?: AgentHooks,
): RunningAgent {
  if (config.payload.format !== 'sparkplug') throw new Error('startSparkplugAgent: not sparkplug');
  const { groupId, edgeNodeId, hostId } = config.payload;
  const ids = config.fleet.machineIds;
  const node = createEdgeNodeSession({ groupId, edgeNodeId, deviceIds: ids });
  const client = createEdgeNodeClient(config, node);
  const link = { client, machineIds: ids };
  const scenarios = scenariosByMachine(config.scenario, config.fleet);
  const fillers = ids.map((id) =>
    createBottleFiller({
      machineId: id,
      ...(config.seed === undefined ? {} : { seed: config.seed }),
      ...scenarios.get(id)!.filler,
    }),
  );
  const counts: DeviceCounters[] = ids.map(() => ({ scans: 0, messages: 0, acked: 0, failed: 0 }));
  const latest = new Map<string, BottleFillerTags>();
  const firstOfKind = createFirstOfKind();

  let stopping = false;
  let connected = false;
  let hostOnline = hostId === undefined;
  let hostTimestamp = -Infinity;
  let born = false;
  const pending = new Set<Promise<void>>();

  const send = (message: SparkplugMessage, device = 0): Promise<void> => {
    const c = counts[device]!;
    c.messages++;
    const startedAt = hooks === undefined ? 0 : performance.now();
    const publish = client.publish(message.topic, message.payload, { qos: 0, retain: false });
    const settled = publish.then(
      () => {
        c.acked++;
        hooks?.onAcked(performance.now() - startedAt);
      },
      (error: unknown) => {
        c.failed++;
        const code = (error as { code?: string }).code ?? 'ERROR';
        hooks?.onPublishFailed(code);
        if (!stopping && firstOfKind.first(code))
          logger.warn('publish failed (further failures of this kind counted in the summary)', {
            code,
            reason: (error as Error).message,
            topic: message.topic,
          });
      },
    );
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
    return settled;
  };

  const birth = (why: string) => {
    born = true;
    const messages = node.birth(
      (id) => latest.get(id) ?? fillers[ids.indexOf(id)]!.snapshot(),
      Date.now(),
    );
    messages.forEach((m, i) => send(m, Math.max(0, i - 1)));
    logger.info('Sparkplug births sent', { why, bdSeq: node.bdSeq, devices: ids.length });
  };
  const maybeBirth = (why: string) => {
    if (connected && hostOnline && !born && !stopping) birth(why);
  };

  const fleet = startSimulatedFleet({
    fillers,
    intervalMs: config.publishIntervalMs,
    timeScale: config.timeScale,
    onScan: ({ index, tags, timestamp, lagMs }) => {
      hooks?.onScanLag(lagMs);
      const id = ids[index]!;
      counts[index]!.scans++;
      latest.set(id, tags);
      // QoS 0 would wait in the outbox while the link is down and go out before the next NBIRTH.
      if (!born || client.state.status !== 'connected') return;
      const ddata = node.data(id, tags, timestamp.getTime());
      if (ddata !== undefined) send(ddata, index);
    },
    onWallClockStep: (step) => logWallClockStep(logger, step),
    onFillerStopped: (index, error) => {
      logger.error('simulator stopped', {
        machineId: ids[index],
        reason: (error as Error).message,
      });
      if (born) send(node.deviceDeath(ids[index]!, Date.now()), index);
    },
  });

  const decoded = (message: MqttMessage): SparkplugPayload | undefined => {
    try {
      return decodePayload(message.payload);
    } catch (error) {
      if (firstOfKind.first('bad-command'))
        logger.warn('command payload is not Sparkplug B', {
          topic: message.topic,
          reason: (error as Error).message,
        });
      return undefined;
    }
  };

  const subscriptions: Subscription[] = [
    // Commands at QoS 1 (§ "QoS and retain"); mqtt-client resubscribes after every reconnect.
    client
      .observe(sparkplugTopic({ groupId, type: 'NCMD', edgeNodeId }), { qos: 1 })
      .subscribe((message) => {
        const payload = decoded(message);
        if (payload === undefined || !isRebirthRequest(payload)) return;
        logger.info('rebirth requested (NCMD Node Control/Rebirth)');
        born = false;
        maybeBirth('rebirth');
      }),
    client.observe(`spBv1.0/${groupId}/DCMD/${edgeNodeId}/+`, { qos: 1 }).subscribe((message) => {
      const parsed = parseSparkplugTopic(message.topic);
      const id = parsed?.kind === 'message' ? parsed.deviceId : undefined;
      const index = id === undefined ? undefined : node.deviceIndex(id);
      const payload = decoded(message);
      if (index === undefined || payload === undefined) return;
      fleet.catchUp(index);
      const filler = fillers[index]!;
      if (!applyDeviceCommand(id!, filler, payload.metrics, index, logger) || !born) return;
      // The operator sees the command's effect now, not at the next scan.
      const tags = filler.snapshot();
      latest.set(id!, tags);
      const ddata = node.data(id!, tags, Date.now());
      if (ddata !== undefined) send(ddata, index);
    }),
    ...watchLinks([link], {
      logger,
      firstOfKind,
      onConnected: () => {
        connected = true;
        born = false;
        if (!hostOnline) logger.info('waiting for the primary host to be online', { hostId });
        maybeBirth('connected');
      },
    }),
    client.state$.subscribe((state) => {
      if (state.status !== 'connected') {
        connected = false;
        born = false;
      }
    }),
  ];
  if (hostId !== undefined)
    subscriptions.push(
      client.observe(hostStateTopic(hostId), { qos: 1 }).subscribe((message) => {
        const state = parseHostState(message.payload);
        // Only the 3.0 JSON form counts, and never an older state than one already seen (§5.4).
        if (state === undefined || state.timestamp < hostTimestamp) return;
        hostTimestamp = state.timestamp;
        if (state.online === hostOnline) return;
        hostOnline = state.online;
        logger.info(state.online ? 'primary host online' : 'primary host offline', { hostId });
        if (state.online) maybeBirth('primary host online');
        else if (born) {
          // §5.4 (Sparkplug 3.0): NDEATH, then end this session. The new CONNECT registers the next
          // bdSeq's will, and the births wait for the host's STATE online again.
          born = false;
          void send(node.death(Date.now())).then(async () => {
            if (stopping) return;
            await client.reconnect();
            logger.info('new MQTT session after the NDEATH (primary host offline)', { hostId });
          });
        }
      }),
    );

  // A scan is at most one DDATA here (only what changed), so messages stand for scans too.
  const scanCounters = (c: DeviceCounters): ScanCounters => ({
    ...c,
    invalid: 0,
    delivered: c.acked,
    lost: c.failed,
    nextSequence: 0,
  });
  const counters = () => sumCounters(counts.map(scanCounters));
  const { summary, subscriptions: summaries } = startSummaries({
    logger,
    links: [link],
    machines: ids.length,
    counters,
    firstOfKind,
    intervalMs: config.summaryIntervalMs,
    stopping: () => stopping,
  });
  subscriptions.push(...summaries);

  let stopped: Promise<AgentStopped> | undefined;
  return {
    clients: [client],
    machines: ids.map((id, i) => ({
      id,
      counters: () => scanCounters(counts[i]!),
    })),
    schedulerBehind: () => fleet.behind,
    counters,
    stop() {
      stopping = true;
      fleet.stop();
      stopped ??= (async () => {
        // Clean stop: the devices, then the node, then DISCONNECT (the broker drops the will).
        if (born) {
          const now = Date.now();
          ids.forEach((id, i) => send(node.deviceDeath(id, now), i));
          send(node.death(now));
        }
        // QoS 0 settles once written; bounded all the same, as a link can die meanwhile.
        await Promise.race([
          Promise.allSettled([...pending]),
          new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()),
        ]);
        await client.close({ timeoutMs: config.shutdownTimeoutMs });
        summary();
        for (const s of subscriptions) s.unsubscribe();
        const c = counters();
        const undelivered = c.messages - c.acked - c.failed;
        return { undelivered, undeliveredScans: undelivered };
      })();
      return stopped;
    },
  };
}
