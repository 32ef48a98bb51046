import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768–60999): a port the kernel hands out for port 0 is also what
// it picks as the source port of any outgoing connection, so with spec files running side by side
// another process's client could take it between this check and the caller's bind.
const LOW = 20_000;
const HIGH = 32_767;

function tryListen(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port that is free on `host` (default 127.0.0.1) now: a random one below the kernel's
 * ephemeral range, checked by binding it; after 20 taken ones, whatever the kernel gives for port 0.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await tryListen(LOW + Math.floor(Math.random() * (HIGH - LOW + 1)), host);
    if (port !== undefined) return port;
  }
  const port = await tryListen(0, host);
  if (port === undefined) throw new Error(`no free TCP port on ${host}`);
  return port;
}
