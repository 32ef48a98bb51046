import type { Logger } from '@ot-mqtt/app-kit';
import { createBottleFiller, type BottleFiller } from '@ot-mqtt/plc-sim';
import { compressPayload } from '@ot-mqtt/sparkplug';
import type { Link } from './agent-links.js';
import { createPackmlPublisher, type PackmlPublisher } from './commands/packml-publisher.js';
import type { AgentConfig } from './config.js';
import { scenariosByMachine } from './sim-scenarios.js';
import { createScanPublisher, type ScanPublisher } from './scan-publisher.js';

/** One simulated machine: its simulator and the publishers of its scans and PackML state. */
export interface AgentMachine {
  readonly id: string;
  readonly link: Link;
  readonly filler: BottleFiller;
  readonly publisher: ScanPublisher;
  readonly packml: PackmlPublisher;
}

/** What {@link createAgentMachines} reports to. */
export interface MachineReporting {
  /** Each acknowledged scan message with its publish-to-PUBACK ms (metrics), if anyone listens. */
  readonly onAcked?: ((ms: number) => void) | undefined;
  /** A message the client gave up on. */
  readonly onFailure: (error: unknown, topic: string, sequence: number) => void;
  readonly logger: Logger;
}

/** The machines of every link, in link order (the order the fleet scans them). */
export function createAgentMachines(
  config: AgentConfig,
  links: readonly Link[],
  reporting: MachineReporting,
): AgentMachine[] {
  const { onAcked, onFailure, logger } = reporting;
  const root = config.topicRoot;
  const scenarios = scenariosByMachine(config.scenario, config.fleet);
  const includeMachineLevel = config.fleet.includeMachineLevel;
  const compression = config.payload.format === 'json' ? config.payload.compression : 'none';
  return links.flatMap((link) => {
    const plain = (topic: string, payload: string, options: { qos: 1; retain: boolean }) =>
      link.client.publish(topic, payload, options);
    // PAYLOAD_COMPRESSION applies to the scan messages; connection and PackML stay plain JSON.
    const scan =
      compression === 'none'
        ? plain
        : (topic: string, payload: string, options: { qos: 1; retain: boolean }) =>
            link.client.publish(topic, compressPayload(payload, compression), options);
    return link.machineIds.map((id) => ({
      id,
      link,
      filler: createBottleFiller({
        machineId: id,
        ...(config.seed === undefined ? {} : { seed: config.seed }),
        ...scenarios.get(id)!.filler,
      }),
      publisher: createScanPublisher({
        publish: scan,
        ...(onAcked === undefined ? {} : { onAcked }),
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
        publish: plain,
        machineId: id,
        root,
        includeMachineLevel,
        onFailure,
      }),
    }));
  });
}
