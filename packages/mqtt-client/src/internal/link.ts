import type { MqttClient as MqttJsClient } from 'mqtt';
import type { ClientEvent } from '../connection-state.js';

/** The live connection: the mqtt.js client and the generation (attempt number) it belongs to. */
export interface Link {
  readonly client: MqttJsClient;
  readonly gen: number;
}

/** What the connection loop shows the rooms that use the connection (subscriptions, pump). */
export interface ConnectionHost {
  /** The live connection, or undefined while not connected. */
  live(): Link | undefined;
  /** Whether `gen` is still the live connection (callbacks of older ones go quiet). */
  isLive(gen: number): boolean;
  /** `close()` was called or the client stopped. */
  readonly ended: boolean;
  /** Whether the broker kept our session on the live connection. */
  readonly sessionPresent: boolean;
  /** URL of the broker in use (credentials removed). */
  readonly url: string;
  /** Emits on `events$`. */
  emit(event: ClientEvent): void;
}

/** mqtt.js callbacks we do not need. */
export const noop = (): undefined => undefined;
