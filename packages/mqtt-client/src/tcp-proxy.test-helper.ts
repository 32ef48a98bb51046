import { createServer, connect, type Socket } from 'node:net';

/** Options of {@link startTcpProxy}. */
export interface TcpProxyOptions {
  /** Host of the target (default 127.0.0.1). */
  readonly host?: string;
  /** Destroy every connection this long after it was accepted (a flapping link). */
  readonly killAfterMs?: number;
}

/** A TCP proxy for tests: can black-hole, stall or cut the link. */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** While true, bytes in both directions are dropped; sockets stay open. */
  blackhole(on: boolean): void;
  /**
   * While true, the proxy stops reading what the client sends, so the client's socket buffers fill
   * up and its writes wait for 'drain' (a congested or stalled uplink).
   */
  stall(on: boolean): void;
  /** Destroys every open connection (the proxy keeps accepting new ones). */
  cut(): void;
  /**
   * Resets every open connection: the client's side gets a TCP RST (ECONNRESET, or EPIPE on a
   * write), as from a peer that died with unread data, instead of the FIN of {@link cut}.
   */
  reset(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(
  targetPort: number,
  options: TcpProxyOptions | string = {},
): Promise<TcpProxy> {
  const { host = '127.0.0.1', killAfterMs } =
    typeof options === 'string' ? { host: options } : options;
  const sockets = new Set<Socket>();
  const downstreams = new Set<Socket>();
  let holed = false;
  let stalled = false;
  let accepted = 0;
  const server = createServer((downstream) => {
    accepted++;
    const upstream = connect(targetPort, host);
    sockets.add(downstream);
    sockets.add(upstream);
    downstreams.add(downstream);
    if (stalled) downstream.pause();
    downstream.on('data', (chunk) => {
      if (!holed) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!holed) downstream.write(chunk);
    });
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => end(), killAfterMs).unref();
    const end = () => {
      if (timer) clearTimeout(timer);
      downstream.destroy();
      upstream.destroy();
      sockets.delete(downstream);
      sockets.delete(upstream);
      downstreams.delete(downstream);
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
    get accepted() {
      return accepted;
    },
    blackhole: (on) => {
      holed = on;
    },
    stall: (on) => {
      stalled = on;
      for (const d of downstreams) {
        if (on) d.pause();
        else d.resume();
      }
    },
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    reset: () => {
      for (const d of downstreams) d.resetAndDestroy();
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
