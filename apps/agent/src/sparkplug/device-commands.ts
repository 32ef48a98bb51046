import type { Logger } from '@ot-mqtt/app-kit';
import type { BottleFiller } from '@ot-mqtt/plc-sim';
import { parseDeviceCommand, type SparkplugMetric } from '@ot-mqtt/sparkplug';

/**
 * Applies the writes of one DCMD to a filler, as the JSON command topic would (the tag model's
 * commands through the filler's PackML machine), and logs each outcome. Returns whether any was
 * accepted (the caller reports the new state at once).
 */
export function applyDeviceCommand(
  machineId: string,
  filler: BottleFiller,
  metrics: readonly SparkplugMetric[],
  deviceIndex: number,
  logger: Logger,
): boolean {
  let changed = false;
  for (const write of parseDeviceCommand(metrics, deviceIndex)) {
    if (!write.ok) {
      logger.warn('DCMD metric refused', {
        machineId,
        metric: write.metric,
        reason: write.problem,
      });
      continue;
    }
    const outcome = filler.command(
      write.fault === undefined
        ? { command: write.command }
        : { command: write.command, fault: write.fault },
    );
    changed ||= outcome.accepted;
    logger.info('DCMD applied', {
      machineId,
      command: write.command,
      ...(write.fault === undefined ? {} : { fault: write.fault }),
      accepted: outcome.accepted,
      ...(outcome.accepted ? {} : { reason: outcome.reason }),
    });
  }
  return changed;
}
