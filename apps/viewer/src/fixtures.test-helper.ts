import type { ReceivedMessage } from '@ot-mqtt/scan-monitor';
import { exampleConnection, exampleScan, type TagOverrides } from '@ot-mqtt/tag-model/testing';
import type { BottleFillerTags } from '@ot-mqtt/tag-model';
import { createPalette } from './ansi.js';
import type { ViewerMode } from './config.js';
import { createViewer, type ViewerOptions } from './create-viewer.js';

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

/**
 * A viewer core writing into arrays (`messages`, `logs`), with the defaults of these unit tests:
 * no colour, the seed's root and filter, info level; `options` override any of them.
 */
export function testViewer(mode: ViewerMode, options: Partial<ViewerOptions> = {}) {
  const messages: string[] = [];
  const logs: string[] = [];
  const viewer = createViewer({
    mode,
    palette: createPalette(false),
    root: 'plc/bottlefiller',
    filter: 'plc/bottlefiller/#',
    url: 'mqtt://localhost:1883',
    maxPayloadBytes: 262_144,
    logLevel: 'info',
    output: { message: (t) => messages.push(t), log: (t) => logs.push(t) },
    ...options,
  });
  return { viewer, messages, logs };
}
