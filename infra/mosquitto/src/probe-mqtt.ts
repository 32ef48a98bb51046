import { connect } from 'node:net';

/** What answers on a TCP port: an MQTT broker, something else, or nothing at all. */
export type PortOccupant = 'mqtt' | 'other' | 'free';

/** Options of {@link probeMqtt}. */
export interface ProbeMqttOptions {
  /** Host to probe (default `127.0.0.1`). */
  readonly host?: string;
  /** How long to wait for the connection and the CONNACK (default 3,000 ms). */
  readonly timeoutMs?: number;
}

/**
 * An MQTT 3.1.1 CONNECT (§3.1): clean session, keepalive 10 s, client id `ot-mqtt-probe-<random>`.
 * Clean session so the probe leaves no session behind on the broker it finds.
 */
function connectPacket(): Buffer {
  const clientId = Buffer.from(`ot-mqtt-probe-${Math.random().toString(36).slice(2, 10)}`);
  const variableHeader = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a]);
  const payload = Buffer.concat([
    Buffer.from([clientId.length >> 8, clientId.length & 0xff]),
    clientId,
  ]);
  const remaining = variableHeader.length + payload.length; // < 128: one length byte
  return Buffer.concat([Buffer.from([0x10, remaining]), variableHeader, payload]);
}

const DISCONNECT = Buffer.from([0xe0, 0x00]);

/**
 * Tells whether an MQTT broker answers on `port` by sending a CONNECT and reading the reply: a
 * CONNACK (even one refusing us, e.g. "not authorised") means an MQTT broker; any other bytes, a
 * hang-up or silence until the timeout mean something else holds the port; a refused TCP
 * connection means the port is free.
 *
 * @example
 * ```ts
 * if ((await probeMqtt(1883)) === 'mqtt') console.log('a broker already runs on 1883');
 * ```
 */
export function probeMqtt(port: number, options: ProbeMqttOptions = {}): Promise<PortOccupant> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 3_000;
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ port, host });
    const finish = (result: PortOccupant) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Say goodbye properly to a broker (no "closed its connection" error in its log).
      if (result === 'mqtt') socket.end(DISCONNECT);
      else socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish('other'), timeoutMs);
    let connected = false;
    let received = Buffer.alloc(0);
    socket.once('connect', () => {
      connected = true;
      socket.write(connectPacket());
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      // CONNACK: fixed header 0x20, remaining length 2 (MQTT 3.1.1 §3.2) — a v5-only broker
      // answers with a longer CONNACK carrying a reason code, still type 2.
      const isConnack = received[0] === 0x20 && (received[1] ?? 0) >= 2;
      finish(isConnack ? 'mqtt' : 'other');
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(!connected && error.code === 'ECONNREFUSED' ? 'free' : 'other'),
    );
    socket.once('close', () => finish(connected ? 'other' : 'free'));
  });
}
