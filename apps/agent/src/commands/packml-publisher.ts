import type { PackmlPayload, PackmlStatus } from '@ot-mqtt/tag-model';
import { SCHEMA_VERSION, packmlTopic } from '@ot-mqtt/tag-model';

/** Publishes one machine's PackML state, retained, whenever it changed since the last scan. */
export interface PackmlPublisher {
  /** Called once per published scan with the state read in it; publishes only on change. */
  update(status: PackmlStatus, at: Date, sequence: number): void;
}

export interface PackmlPublisherOptions {
  readonly publish: (
    topic: string,
    payload: string,
    options: { readonly qos: 1; readonly retain: true },
  ) => Promise<void>;
  readonly machineId: string;
  readonly root: string;
  readonly includeMachineLevel: boolean;
  readonly onFailure: (error: unknown, topic: string, sequence: number) => void;
}

export function createPackmlPublisher(options: PackmlPublisherOptions): PackmlPublisher {
  const topic = packmlTopic({
    root: options.root,
    ...(options.includeMachineLevel ? { machineId: options.machineId } : {}),
  });
  let last = '';
  return {
    update(status, at, sequence) {
      const reason = status.stopReason?.code ?? 0;
      const key = `${status.stateCode}/${status.modeCode}/${reason}`;
      if (key === last) return;
      last = key;
      const payload: PackmlPayload = {
        schemaVersion: SCHEMA_VERSION,
        timestamp: at.toISOString(),
        machineId: options.machineId,
        sequence,
        ...status,
      };
      // Retained: an HMI or MES that connects later gets the current state at once.
      options
        .publish(topic, JSON.stringify(payload), { qos: 1, retain: true })
        .catch((error: unknown) => options.onFailure(error, topic, sequence));
    },
  };
}
