import type { IClientOptions } from 'mqtt';
import type { BrokerNode, ResolvedOptions } from './resolve-options.js';
import { toWire } from './wire.js';

// mqtt.js logs every packet through `debug`; switched off, each call still gathers its arguments
// into an array (2 % of a subscriber's CPU while a queue is replayed). Where DEBUG asks for any
// tracing, or outside Node, `debug` keeps the say.
const quietLog: IClientOptions['log'] =
  typeof process === 'undefined' || process.env?.['DEBUG'] ? undefined : () => undefined;

/**
 * The mqtt.js options of one connection attempt. mqtt.js's reconnect, resubscribe and offline queue
 * are switched off: the client does those itself.
 */
export function toMqttJsOptions(o: ResolvedOptions, node: BrokerNode): IClientOptions {
  const tls = o.source.tls;
  // A will given as a function is asked anew for every attempt (see MqttClientOptions.will).
  const will = typeof o.source.will === 'function' ? o.source.will() : o.source.will;
  return {
    clientId: o.clientId,
    protocolVersion: o.protocolVersion,
    keepalive: o.keepaliveSeconds,
    clean: o.clean,
    // Ours runs on the injected clock and ends the attempt; mqtt.js's is only a backstop.
    connectTimeout: o.connectTimeoutMs + 1_000,
    // Our loop, not mqtt.js's: its reconnect is a fixed interval (no backoff/jitter), its
    // resubscribe has duplicated SUBSCRIBEs, and its offline queue is unbounded.
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
    // mqtt-packet would otherwise pre-build 65,536 two-byte Buffers for packet ids and lengths on
    // the first write: ~9 MB of resident memory (issue 6, benchmark 5) to save a 2-byte allocation.
    writeCache: false,
    ...(quietLog === undefined ? {} : { log: quietLog }),
    ...(node.username === undefined ? {} : { username: node.username }),
    ...(node.password === undefined ? {} : { password: node.password }),
    ...(o.protocolVersion === 5 && o.sessionExpirySeconds
      ? { properties: { sessionExpiryInterval: o.sessionExpirySeconds } }
      : {}),
    ...(will
      ? {
          will: {
            topic: will.topic,
            payload: toWire(will.payload) as Buffer,
            qos: will.qos ?? 0,
            retain: will.retain ?? false,
          },
        }
      : {}),
    ...(tls?.ca === undefined ? {} : { ca: tls.ca as NonNullable<IClientOptions['ca']> }),
    ...(tls?.cert === undefined ? {} : { cert: tls.cert as NonNullable<IClientOptions['cert']> }),
    ...(tls?.key === undefined ? {} : { key: tls.key as NonNullable<IClientOptions['key']> }),
    ...(tls?.servername === undefined ? {} : { servername: tls.servername }),
    ...(tls?.rejectUnauthorized === undefined
      ? {}
      : { rejectUnauthorized: tls.rejectUnauthorized }),
  };
}

/** The socket calls of Node's `net.Socket` this client uses; duck-typed (nothing Node-only imported). */
export interface SocketLike {
  setNoDelay?: (noDelay: boolean) => unknown;
  cork?: () => void;
  uncork?: () => void;
}

/** Sets TCP_NODELAY where the stream is a TCP/TLS socket (WebSocket streams have no such method). */
export function setNoDelay(stream: unknown): void {
  const socket = stream as SocketLike | undefined;
  if (typeof socket?.setNoDelay === 'function') socket.setNoDelay(true);
}
