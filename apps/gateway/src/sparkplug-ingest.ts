import type { ScanRecord } from '@ot-mqtt/historian';
import {
  createHostSession,
  fillerTagsFromMetrics,
  type HostEvent,
  type SparkplugMessage,
} from '@ot-mqtt/sparkplug';
import { machineIdProblem, type ConnectionStatus } from '@ot-mqtt/tag-model';

/** Where the Sparkplug ingest writes: the gateway's commit queue, and the broker for rebirths. */
export interface SparkplugSink {
  writeScan(scan: ScanRecord): Promise<void>;
  writeConnection(
    machineId: string,
    status: ConnectionStatus,
    timestamp: string,
    publishIntervalMs: number | undefined,
  ): Promise<void>;
  /** Publishes a rebirth request (NCMD) of the host session. */
  publish(message: SparkplugMessage): void;
}

/**
 * Sparkplug B as a source of scans: a host session (`@ot-mqtt/sparkplug`) keeps each device's
 * values from its DBIRTH and DDATA, and each such message whose device holds all 30 filler tags is
 * stored as one scan — what a JSON `data` message would have carried. The sequence is the count of
 * the device's data messages the gateway has seen (Sparkplug's own `seq` wraps at 256). DBIRTH
 * and DDEATH set the machine online and offline, an NDEATH every device of its edge node.
 *
 * @returns `handle`, which answers `undefined` for a topic outside `spBv1.0/`.
 */
export function createSparkplugIngest(
  sink: SparkplugSink,
  onInvalid: (topic: string, reason: string) => void,
) {
  const host = createHostSession();
  const sequences = new Map<string, number>();
  const devicesOf = new Map<string, Set<string>>();
  const iso = (ms: number | undefined) => new Date(ms ?? Date.now()).toISOString();

  const store = async (event: Extract<HostEvent, { kind: 'message' }>, deviceId: string) => {
    const values = host.deviceValues(event.groupId, event.edgeNodeId, deviceId);
    const tags = values === undefined ? undefined : fillerTagsFromMetrics(values);
    if (tags === undefined) return; // not a filler, or not all its tags known yet
    const sequence = sequences.get(deviceId) ?? 0;
    sequences.set(deviceId, sequence + 1);
    await sink.writeScan({ machineId: deviceId, sequence, timestamp: iso(event.timestamp), tags });
  };

  return {
    handle(topic: string, payload: Uint8Array): Promise<void> | undefined {
      const event = host.receive(topic, payload);
      if (event === undefined) return undefined;
      if (event.kind === 'invalid') {
        onInvalid(topic, event.problem);
        return Promise.resolve();
      }
      if (event.kind !== 'message') return Promise.resolve();
      if (event.rebirth) sink.publish(event.rebirth);
      const node = `${event.groupId}/${event.edgeNodeId}`;
      const { deviceId } = event;
      if (deviceId !== undefined && machineIdProblem(deviceId) !== undefined) {
        onInvalid(topic, `device id ${JSON.stringify(deviceId)} is not a machine id`);
        return Promise.resolve();
      }
      switch (event.type) {
        case 'DBIRTH': {
          const devices = devicesOf.get(node) ?? new Set<string>();
          devicesOf.set(node, devices.add(deviceId!));
          return sink
            .writeConnection(deviceId!, 'online', iso(event.timestamp), undefined)
            .then(() => store(event, deviceId!));
        }
        case 'DDATA':
          return store(event, deviceId!);
        case 'DDEATH':
          devicesOf.get(node)?.delete(deviceId!);
          return sink.writeConnection(deviceId!, 'offline', iso(event.timestamp), undefined);
        case 'NDEATH': {
          if (event.problems.length > 0) return Promise.resolve(); // a stale will
          const devices = [...(devicesOf.get(node) ?? [])];
          devicesOf.delete(node);
          return Promise.all(
            devices.map((id) =>
              sink.writeConnection(id, 'offline', iso(event.timestamp), undefined),
            ),
          ).then(() => undefined);
        }
        default:
          return Promise.resolve();
      }
    },
  };
}
