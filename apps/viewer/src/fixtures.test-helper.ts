import { encodeConnection, encodeScan, type BottleFillerTags } from '@ot-mqtt/tag-model';
import type { ReceivedMessage } from './decode-message.js';

/** A plausible scan of a running filler. */
export function sampleTags(overrides: Partial<BottleFillerTags['status']> = {}): BottleFillerTags {
  return {
    inputs: {
      BottlePresent: true,
      BottleAtFill: true,
      BottleAtCap: false,
      LowLevel: false,
      HighLevel: false,
      CapPresent: true,
    },
    outputs: {
      FillValve: true,
      ConveyorMotor: false,
      CappingMotor: false,
      IndicatorGreen: true,
      IndicatorRed: false,
      IndicatorYellow: false,
    },
    analog: {
      FillLevel: 63.25,
      FillFlowRate: 12.5,
      TankTemperature: 21.4,
      TankPressure: 30.1,
      ConveyorSpeed: 120,
    },
    status: {
      SystemRunning: true,
      Filling: true,
      Ready: true,
      Fault: false,
      AutoMode: true,
      ...overrides,
    },
    counters: { BottlesFilled: 1234, BottlesRejected: 5, BottlesPerMinute: 42 },
    alarms: {
      LowProductLevel: false,
      Overfill: false,
      Underfill: false,
      NoBottle: false,
      CapMissing: false,
    },
  };
}

/** The seven messages of one scan, as the agent publishes them. */
export function scanMessages(
  sequence: number,
  timestamp: Date,
  options: { machineId?: string; fleet?: boolean; tags?: BottleFillerTags } = {},
): { topic: string; payload: string }[] {
  return encodeScan(options.tags ?? sampleTags(), {
    machineId: options.machineId ?? 'filler-01',
    sequence,
    timestamp,
    includeMachineLevel: options.fleet ?? false,
  });
}

/** A connection announcement. */
export function connectionMessage(
  status: 'online' | 'offline',
  timestamp: Date,
  publishIntervalMs?: number,
): { topic: string; payload: string } {
  return encodeConnection(status, {
    machineId: 'filler-01',
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
