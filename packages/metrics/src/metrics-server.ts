import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** The registry whose metrics `/metrics` serves. */
  readonly registry: Registry;
  /** TCP port; 0 picks a free one (see {@link MetricsServer.port}). */
  readonly port: number;
  /** Address to listen on (default: `127.0.0.1`, so nothing is exposed beyond the host unasked). */
  readonly host?: string;
}

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  /** The port it listens on (the chosen one when started with port 0). */
  readonly port: number;
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** Stops listening and closes idle keep-alive connections. */
  close(): Promise<void>;
}

const sendJson = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

const handle = async (registry: Registry, req: IncomingMessage, res: ServerResponse) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics') {
    sendJson(res, 404, { error: 'not found', parameter: 'path', allowed: ['/metrics'] });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, {
      error: 'method not allowed',
      parameter: 'method',
      allowed: ['GET', 'HEAD'],
    });
    return;
  }
  try {
    const text = await registry.metrics();
    res.writeHead(200, {
      'content-type': registry.contentType,
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : text);
  } catch (error) {
    // A collector that throws must cost one scrape, not the process.
    sendJson(res, 500, { error: `collecting metrics failed: ${(error as Error).message}` });
  }
};

/**
 * Serves `registry` in the Prometheus text format on `GET /metrics` (everything else: a JSON 404).
 * Plain `node:http`: one route needs no framework, and an app without HTTP otherwise (the agent,
 * the viewer) should not load one just to be scraped.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { startMetricsServer } from '@ot-mqtt/metrics';
 *
 * const server = await startMetricsServer({ registry: new Registry(), port: 9464 });
 * console.log(`metrics on ${server.url}`);
 * await server.close();
 * ```
 */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => void handle(options.registry, req, res));
  // Scrapes are short; a stuck client must not keep a socket forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `METRICS_PORT ${options.port} on ${host} is already in use`
            : `cannot listen on ${host}:${options.port} for /metrics: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        port,
        url: `http://${shown}:${port}/metrics`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
