import { createServer, connect, type Socket } from 'node:net';

/** A TCP proxy for tests that can silently stop forwarding (a half-open / black-holed link). */
export interface TcpProxy {
  readonly port: number;
  /** While true, bytes in both directions are dropped; sockets stay open. */
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, host = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let holed = false;
  const server = createServer((downstream) => {
    const upstream = connect(targetPort, host);
    sockets.add(downstream);
    sockets.add(upstream);
    downstream.on('data', (chunk) => {
      if (!holed) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!holed) downstream.write(chunk);
    });
    const end = () => {
      downstream.destroy();
      upstream.destroy();
      sockets.delete(downstream);
      sockets.delete(upstream);
    };
    for (const s of [downstream, upstream]) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    blackhole: (on) => {
      holed = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
