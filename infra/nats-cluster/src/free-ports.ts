import { createServer, type Server } from 'node:net';

// Below Linux's ephemeral range (32768–60999), as @ot-mqtt/broker's freePort: a port the kernel
// hands out for port 0 may become another process's outgoing source port before a node binds it
// (seen in CI with spec files running side by side: "bind: address already in use").
const LOW = 20_000;
const HIGH = 32_767;

function listen(server: Server, port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/**
 * `count` distinct TCP ports that are free on `host` now: random ones below the kernel's ephemeral
 * range, each checked by binding it (port 0 after 20 taken ones). All listeners stay open until
 * every port is chosen, so no port is handed out twice in one call.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    while (ports.length < count) {
      let port: number | undefined;
      for (let attempt = 0; attempt <= 20 && port === undefined; attempt++) {
        const server = createServer();
        servers.push(server);
        const wanted = attempt === 20 ? 0 : LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
        port = await listen(server, wanted, host);
      }
      if (port === undefined) throw new Error(`no free TCP port on ${host}`);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map(
        (s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())),
      ),
    );
  }
}
