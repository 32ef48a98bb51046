import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';

/** Options of {@link startEmbeddedBroker}. */
export interface EmbeddedBrokerOptions {
  /** MQTT over TCP port (0 = any free port). */
  readonly port: number;
  /** MQTT over WebSockets port (0 = any free port). */
  readonly wsPort: number;
  /** Address both listeners bind to (default `127.0.0.1`). */
  readonly host?: string;
}

/** An in-process MQTT broker (aedes) with a TCP and a WebSocket listener. */
export interface EmbeddedBroker {
  /** Port of the TCP listener. */
  readonly port: number;
  /** Port of the WebSocket listener. */
  readonly wsPort: number;
  /** `mqtt://host:port`. */
  readonly url: string;
  /** `ws://host:wsPort`. */
  readonly wsUrl: string;
  /** Number of clients connected right now. */
  connectedClients(): number;
  /** Closes both listeners and every client connection. */
  close(): Promise<void>;
}

/**
 * Starts aedes, an MQTT 3.1.1/5 broker written in JavaScript, inside this process, for machines
 * without Mosquitto. Sessions and queued messages live in memory only: nothing survives a restart.
 *
 * @example
 * ```ts
 * const broker = await startEmbeddedBroker({ port: 1883, wsPort: 9001 });
 * // ... mqtt://127.0.0.1:1883 and ws://127.0.0.1:9001 accept clients ...
 * await broker.close();
 * ```
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker();
  const tcp = createNetServer((socket) => {
    // Same choice as `set_tcp_nodelay true` in mosquitto.conf: small PLC packets go out at once.
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (websocket, request) =>
    aedes.handle(createWebSocketStream(websocket), request),
  );
  // A client dropping mid-packet must not take the broker (and `npm start`) down with it.
  aedes.on('clientError', () => undefined);
  aedes.on('connectionError', () => undefined);
  try {
    await listen(tcp, options.port, host);
    await listen(http, options.wsPort, host);
  } catch (error) {
    tcp.close();
    http.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }
  const port = boundPort(tcp);
  const wsPort = boundPort(http);
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    port,
    wsPort,
    url: `mqtt://${shownHost}:${port}`,
    wsUrl: `ws://${shownHost}:${wsPort}`,
    connectedClients: () => aedes.connectedClients,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all([closeServer(tcp), closeServer(http)]);
    },
  };
}

function listen(server: NetServer | HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function boundPort(server: NetServer | HttpServer): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}
