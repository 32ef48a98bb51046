import type { Logger } from '@ot-mqtt/app-kit';
import type { MqttClient } from '@ot-mqtt/mqtt-client';
import { startSimulatedFleet } from '@ot-mqtt/plc-sim';
import type { Subscription } from 'rxjs';
import { startAgentCommands } from './agent-commands.js';
import { createAgentMachines } from './agent-machines.js';
import { createConnect, openLinks } from './agent-links.js';
import { startSummaries, sumCounters } from './agent-summary.js';
import { announce } from './announce.js';
import type { CommandTarget } from './commands/command-handler.js';
import type { AgentConfig } from './config.js';
import { createFirstOfKind } from './first-of-kind.js';
import type { ScanCounters } from './scan-publisher.js';
import { stopAgent, type AgentStopped } from './stop-agent.js';
import { logWallClockStep } from './log-wall-clock-step.js';
import { watchLinks } from './watch-links.js';

/**
 * Where the agent reports to its metrics (serve-metrics.ts) from the hot path; absent when
 * METRICS_PORT is unset, so an agent without metrics pays one `undefined` check per message.
 */
export interface AgentHooks {
  /**
   * Each acknowledged scan message, with the ms from its publish to the PUBACK. The publisher calls
   * it from the handler it already has on each publish: timing a publish by chaining onto its
   * promise cost one more promise and two closures per message (CPU profile, issue 14).
   */
  readonly onAcked: (ms: number) => void;
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
   * `config.shutdownTimeoutMs` for unacknowledged messages (during an outage, for the broker to come
   * back), disconnects cleanly (so the broker does not send the last wills). Resolves with the
   * messages and scans that never reached the broker.
   */
  stop(): Promise<AgentStopped>;
}

/** Optional behaviour of {@link startAgent}. */
export interface StartAgentOptions {
  /**
   * Publish each machine's PackML state, retained, on `<root>[/<machineId>]/packml` (default:
   * true, as issue 12 asks; `false` leaves only the seven topics and `connection`).
   */
  readonly publishPackml?: boolean;
}

/**
 * Starts simulating and publishing. Scanning does not depend on the connection: while the broker
 * is unreachable scans wait in the client's bounded outbox and go out, in order, after reconnecting.
 * Pacing and simulated time follow the monotonic clock; only the timestamps follow the wall clock.
 */
export function startAgent(
  config: AgentConfig,
  logger: Logger,
  hooks?: AgentHooks,
  options: StartAgentOptions = {},
): RunningAgent {
  const connect = createConnect(config);
  const links = openLinks(config, connect);
  const firstOfKind = createFirstOfKind();
  let stopping = false;
  const onFailure = (error: unknown, topic: string, sequence: number) => {
    const code = (error as { code?: string }).code ?? 'ERROR';
    hooks?.onPublishFailed(code);
    if (stopping || !firstOfKind.first(code)) return;
    logger.warn('publish failed (further failures of this kind counted in the summary)', {
      code,
      reason: (error as Error).message,
      topic,
      sequence,
    });
  };
  const machines = createAgentMachines(config, links, {
    onAcked: hooks?.onAcked,
    onFailure,
    logger,
  });
  const counters = () => sumCounters(machines.map((m) => m.publisher.counters()));
  const { summary, subscriptions: summaries } = startSummaries({
    logger,
    links,
    machines: machines.length,
    counters,
    firstOfKind,
    intervalMs: config.summaryIntervalMs,
    stopping: () => stopping,
  });
  const publishPackml = (index: number, at: Date) => {
    const machine = machines[index]!;
    if (options.publishPackml !== false)
      machine.packml.update(
        machine.filler.packml,
        at,
        Math.max(0, machine.publisher.counters().nextSequence - 1),
      );
  };

  const fleet = startSimulatedFleet({
    fillers: machines.map((m) => m.filler),
    intervalMs: config.publishIntervalMs,
    timeScale: config.timeScale,
    onScan: ({ index, tags, timestamp, lagMs }) => {
      hooks?.onScanLag(lagMs);
      machines[index]!.publisher.publish(tags, timestamp);
      publishPackml(index, timestamp);
    },
    onWallClockStep: (step) => logWallClockStep(logger, step),
    onFillerStopped: (index, error) =>
      logger.error('simulator stopped', {
        machineId: machines[index]!.id,
        reason: (error as Error).message,
      }),
  });

  const targets = new Map<string, CommandTarget>(
    machines.map((machine, index) => [
      machine.id,
      {
        filler: machine.filler,
        // The handler passes its wall-clock arrival time; simulated time follows the monotonic one.
        catchUp: () => fleet.catchUp(index),
        applied: (now) => publishPackml(index, new Date(now)),
      },
    ]),
  );
  const commands = startAgentCommands(config, connect, targets, logger);
  const subscriptions: Subscription[] = [
    ...summaries,
    ...commands.subscriptions,
    ...watchLinks(links, {
      logger,
      firstOfKind,
      onConnected: (link) =>
        // Every connect, not just the first: after a lost link the broker may have sent the will.
        void announce(config, link, 'online').then((problem) => {
          if (problem !== undefined && !stopping)
            logger.warn('could not announce online', { reason: problem });
        }),
    }),
  ];

  let stopped: Promise<AgentStopped> | undefined;
  return {
    clients: links.map((l) => l.client),
    machines: machines.map((m) => ({ id: m.id, counters: () => m.publisher.counters() })),
    schedulerBehind: () => fleet.behind,
    counters,
    stop() {
      stopping = true;
      fleet.stop();
      stopped ??= stopAgent({
        config,
        logger,
        links,
        others: commands.clients,
        counters,
        finish: () => {
          summary();
          for (const s of subscriptions) s.unsubscribe();
        },
      });
      return stopped;
    },
  };
}
