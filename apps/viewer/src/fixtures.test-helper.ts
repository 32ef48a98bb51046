import type { ReceivedMessage } from '@ot-mqtt/scan-monitor';
import { exampleConnection, exampleScan, type TagOverrides } from '@ot-mqtt/tag-model/testing';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';

// Example scans come from @ot-mqtt/tag-model/testing; these wrappers only fit the viewer's tests.
export { exampleTags } from '@ot-mqtt/tag-model/testing';
export type { TagOverrides };

/** The seven messages of one scan, as the agent publishes them. */
export function scanMessages(
  sequence: number,
  timestamp: Date,
  options: { machineId?: string; fleet?: boolean; tags?: BottleFillerTags } = {},
): { topic: string; payload: string }[] {
  return exampleScan({ sequence, timestamp, ...options });
}

/** A connection announcement of filler-01. */
export function connectionMessage(
  status: 'online' | 'offline',
  timestamp: Date,
  publishIntervalMs?: number,
): { topic: string; payload: string } {
  return exampleConnection(status, {
    timestamp,
    ...(publishIntervalMs === undefined ? {} : { publishIntervalMs }),
  });
}

/** Wraps topic + payload as the MQTT client would deliver it. */
export function received(
  topic: string,
  payload: string | Uint8Array,
  extra: Partial<ReceivedMessage> = {},
): ReceivedMessage {
  return {
    topic,
    payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
    qos: 1,
    retain: false,
    dup: false,
    ...extra,
  };
}
