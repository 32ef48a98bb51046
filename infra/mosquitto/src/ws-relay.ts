import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Options of {@link startWsRelay}. */
export interface WsRelayOptions {
  /** Port the WebSocket side listens on; 0 picks a free one (default: 9001, the broker's usual WebSocket port). */
  readonly port?: number;
  /** Address it binds to (default `127.0.0.1`: a relay is a local convenience, not an exposed listener). */
  readonly host?: string;
  /** The broker's plain MQTT (TCP) listener. */
  readonly brokerHost?: string;
  /** Port of that listener (default 1883). */
  readonly brokerPort?: number;
  /** Most WebSocket clients at once; more are refused with close code 1013 (default 1000). */
  readonly maxConnections?: number;
  /** Bytes buffered towards a slow browser before the broker side is paused (default 1 MiB). */
  readonly highWaterMark?: number;
}

/** A running relay, from {@link startWsRelay}. */
export interface WsRelay {
  /** `ws://host:port` for browsers. */
  readonly url: string;
  readonly port: number;
  /** WebSocket clients connected now. */
  connections(): number;
  /** Stops listening and closes every relayed connection. */
  close(): Promise<void>;
}

/** Sub-protocols MQTT clients offer (MQTT over WebSockets, OASIS MQTT 3.1.1 §6 / MQTT 5 §6). */
const MQTT_SUBPROTOCOLS = ['mqtt', 'mqttv3.1'];

/**
 * Relays MQTT over WebSockets to a broker's TCP listener, byte for byte: for a Mosquitto that has
 * no WebSocket listener (Debian's packaged service on 1883), so a browser (the dashboard) still
 * reaches it. The broker sees one ordinary TCP client per browser, with that browser's own
 * CONNECT — credentials, ACLs, keep-alive and last will all stay the broker's business.
 * Backpressure holds both ways: a slow browser pauses the broker socket, and the other way round.
 *
 * @example
 * ```ts
 * const relay = await startWsRelay({ port: 9001, brokerPort: 1883 });
 * console.log(`browsers connect to ${relay.url}`); // ws://127.0.0.1:9001
 * process.once('SIGINT', () => void relay.close());
 * ```
 */
export async function startWsRelay(options: WsRelayOptions = {}): Promise<WsRelay> {
  const host = options.host ?? '127.0.0.1';
  const brokerHost = options.brokerHost ?? '127.0.0.1';
  const brokerPort = options.brokerPort ?? 1883;
  const maxConnections = options.maxConnections ?? 1000;
  const highWaterMark = options.highWaterMark ?? 1024 * 1024;
  const sockets = new Set<WebSocket>();

  const http: Server = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
    response.end('This is an MQTT-over-WebSocket relay: connect with an MQTT client using ws://\n');
  });
  const wss = new WebSocketServer({
    server: http,
    // A browser that offers no MQTT sub-protocol is not an MQTT client: refuse the upgrade.
    handleProtocols: (protocols) => MQTT_SUBPROTOCOLS.find((p) => protocols.has(p)) ?? false,
    // MQTT's own maximum packet (256 MiB) would let one client exhaust memory here; the broker's
    // limits apply behind this anyway.
    maxPayload: 16 * 1024 * 1024,
    perMessageDeflate: false,
  });

  wss.on('connection', (ws: WebSocket) => {
    // ws accepts a client that offers no sub-protocol at all: refuse it here.
    if (!MQTT_SUBPROTOCOLS.includes(ws.protocol)) {
      ws.close(1002, 'not an MQTT client: offer the "mqtt" WebSocket sub-protocol');
      return;
    }
    if (sockets.size >= maxConnections) {
      ws.close(1013, 'relay full: too many connections');
      return;
    }
    sockets.add(ws);
    ws.binaryType = 'nodebuffer';
    const tcp: Socket = connect({ host: brokerHost, port: brokerPort });
    tcp.setNoDelay(true);
    let closed = false;
    const end = (code: number, reason: string) => {
      if (closed) return;
      closed = true;
      sockets.delete(ws);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING)
        ws.close(code, reason.slice(0, 120));
    };
    // Browser → broker: stop reading the WebSocket while the TCP socket's buffer is full.
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        end(1003, 'MQTT over WebSockets uses binary frames');
        return;
      }
      if (!tcp.write(data) && !ws.isPaused) {
        ws.pause();
        tcp.once('drain', () => ws.resume());
      }
    });
    // Broker → browser: stop reading the broker while more than highWaterMark bytes wait for
    // the browser; the send callback says when a frame has left.
    let pending = 0;
    tcp.on('data', (chunk: Buffer) => {
      pending += chunk.length;
      ws.send(chunk, { binary: true }, () => {
        pending -= chunk.length;
        if (tcp.isPaused() && pending <= highWaterMark / 2 && !closed) tcp.resume();
      });
      if (pending > highWaterMark) tcp.pause();
    });
    tcp.on('error', (error: NodeJS.ErrnoException) =>
      end(
        1011,
        error.code === 'ECONNREFUSED'
          ? `broker ${brokerHost}:${brokerPort} refused the connection`
          : `broker connection: ${error.code ?? error.message}`,
      ),
    );
    tcp.on('close', () => end(1001, 'broker closed the connection'));
    ws.on('close', () => end(1000, 'client closed'));
    ws.on('error', () => end(1002, 'WebSocket error'));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 9001, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `ws://${shownHost}:${port}`,
    port,
    connections: () => sockets.size,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
