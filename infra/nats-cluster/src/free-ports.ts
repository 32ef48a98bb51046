import { freePort } from '@ot-mqtt/broker';

/**
 * `count` distinct TCP ports that are free on `host` now, from @ot-mqtt/broker's `freePort` (checked
 * ports below the kernel's ephemeral range); a port drawn twice in one call is drawn again.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort(host));
  return [...ports];
}
