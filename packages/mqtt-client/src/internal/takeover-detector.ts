import type { IDisconnectPacket } from 'mqtt';
import { MqttClientError } from '../mqtt-client-error.js';
import { describeReasonCode } from './reason-codes.js';

/** Clean closes in a row, each soon after CONNACK, that make a suspected session takeover. */
const KICKS_FOR_TAKEOVER = 3;
/**
 * How soon after CONNACK a clean close counts as a kick. Another client fighting over the id comes
 * back after its own retry delay — about a second for mqtt.js (fixed 1 s), Paho and this client —
 * and closes us the moment it is accepted; a link or proxy that cuts connections does so at its
 * own pace, unrelated to our CONNACK.
 */
const KICK_WINDOW_MS = 2_000;

/** How one connection ended, as far as takeover detection cares. */
export interface ConnectionEnd {
  /** The connection had been accepted (CONNACK 0). */
  readonly wasConnected: boolean;
  /** Milliseconds from CONNACK to close. */
  readonly lifetimeMs: number;
  /** The broker had our session at CONNACK. */
  readonly sessionPresent: boolean;
  /** What the socket or the broker said, if anything: a clean close has none. */
  readonly error: MqttClientError | undefined;
  /** The broker's URL (credentials removed), for messages. */
  readonly url: string;
}

/**
 * Names why connections end, and tells a session takeover from a flapping link.
 *
 * MQTT 5 brokers say so: DISCONNECT 0x8E. MQTT 3.1.1 has no way to, and Mosquitto 2.0.11 does not
 * send 0x8E either: it just closes the older connection of a client id. What a takeover battle
 * produces and a flapping network does not is the pattern: accepted with our session present, then
 * closed cleanly within {@link KICK_WINDOW_MS} of CONNACK — when the other client's retry lands —
 * {@link KICKS_FOR_TAKEOVER} times in a row. A failing link closes with errors (reset, keepalive
 * timeout), fails attempts (refused, timeout; those reset the count) or cuts connections at its own
 * pace (a proxy or firewall with a connection age limit: seconds to hours, not "right after every
 * CONNACK"). Still only a suspicion: reported, backed off from, never obeyed (only 0x8E stops).
 */
export class TakeoverDetector {
  /** Connections in a row the broker closed right after accepting them. */
  private kicks = 0;

  constructor(
    private readonly clientId: string,
    private readonly stableAfterMs: number,
  ) {}

  /** The last close was (part of) the kick pattern: no progress, whatever traffic it carried. */
  get kicked(): boolean {
    return this.kicks > 0;
  }

  /** A connection stayed up long enough: whatever came before is forgotten. */
  reset(): void {
    this.kicks = 0;
  }

  /** The error of a broker's MQTT 5 DISCONNECT. */
  serverDisconnect(packet: IDisconnectPacket, url: string): MqttClientError {
    const rc = packet.reasonCode ?? 0;
    const words = describeReasonCode(rc, 5);
    if (rc === 0x8e)
      return new MqttClientError(
        'SESSION_TAKEN_OVER',
        `Broker ${url} disconnected client id ${JSON.stringify(this.clientId)}: another client connected with the same id — ${words}`,
        rc,
      );
    return new MqttClientError('SERVER_DISCONNECT', `Broker ${url} sent DISCONNECT: ${words}`, rc);
  }

  /** Why the connection ended: the error given, or one named after the pattern of clean closes. */
  onClose(end: ConnectionEnd): MqttClientError {
    const url = end.url;
    if (end.error || !end.wasConnected) {
      this.kicks = 0;
      return (
        end.error ??
        new MqttClientError(
          'NETWORK_ERROR',
          `Connection to ${url} closed before the broker answered CONNECT`,
        )
      );
    }
    const window = Math.min(KICK_WINDOW_MS, this.stableAfterMs);
    this.kicks = end.lifetimeMs < window && end.sessionPresent ? this.kicks + 1 : 0;
    if (this.kicks >= KICKS_FOR_TAKEOVER)
      return new MqttClientError(
        'SESSION_TAKEN_OVER',
        `Broker ${url} closed the connection within ${window} ms of accepting it ${this.kicks} times in a row, each time with the session present: another client is probably using client id ${JSON.stringify(this.clientId)} (session takeover)`,
      );
    return new MqttClientError(
      'CONNECTION_LOST',
      `Connection to ${url} closed by the broker or the network`,
    );
  }
}
