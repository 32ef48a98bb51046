import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { otFirewallRules, type FirewallAddresses } from './firewall.js';

const run = promisify(execFile);

/**
 * The plant's topology on one machine, as three network namespaces joined by veth links with
 * static addresses:
 *
 * ```
 *  cell (OT field network)          ot (OT broker host)                 it (IT network / DMZ)
 *  agent fleet  10.81.1.2 ──link── 10.81.1.1  OT Mosquitto  10.81.2.1 ──link── 10.81.2.2  IT Mosquitto,
 *                           "cell"   (+10.81.1.11 after a move)          "uplink"            dashboards
 * ```
 *
 * The OT host's nftables firewall ({@link otFirewallRules}) lets the cell reach the broker's TLS
 * port, lets the broker open its bridge to the IT broker, and lets nothing from IT in.
 */
export const ADDRESSES = {
  cell: '10.81.1.2',
  otCell: '10.81.1.1',
  /** Where the OT broker moves to in the address-change scenario. */
  otCellMoved: '10.81.1.11',
  otUplink: '10.81.2.1',
  it: '10.81.2.2',
} as const;

/** A created lab: namespace and interface names, and everything to take it down. */
export interface Netlab {
  /** Namespace names. */
  readonly ns: { readonly cell: string; readonly ot: string; readonly it: string };
  /** Interface names (each lives in the namespace its key starts with). */
  readonly ifs: {
    readonly cell: string;
    readonly otCell: string;
    readonly otUplink: string;
    readonly it: string;
  };
  /** The firewall applied in the OT namespace (nftables script). */
  readonly firewall: string;
  /** Runs a command inside a namespace and resolves with its stdout. */
  exec(ns: string, command: string, args: readonly string[]): Promise<string>;
  /** Deletes the namespaces (and with them their links). Idempotent. */
  teardown(): Promise<void>;
}

const PREFIX = 'otmqlab';
const created = new Set<string>();
// A test runner torn down mid-test must not leave namespaces behind.
process.once('exit', () => {
  for (const ns of created) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
});

/**
 * Why a lab cannot be built here, or `undefined` if it can: needs root (or CAP_NET_ADMIN),
 * iproute2 and nftables, and a kernel that lets us create namespaces.
 */
export async function netlabUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux')
    return `network namespaces are Linux only (${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (CI runs as root)';
  for (const [tool, args] of [
    ['ip', ['-V']],
    ['nft', ['--version']],
  ] as const) {
    try {
      await run(tool, [...args]);
    } catch {
      return `${tool} is not installed (apt-get install -y ${tool === 'ip' ? 'iproute2' : 'nftables'})`;
    }
  }
  const probe = `${PREFIX}-probe-${process.pid}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'exec', probe, 'nft', 'list', 'ruleset']);
  } catch (error) {
    return `cannot create a network namespace here: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    await run('ip', ['netns', 'del', probe]).catch(() => undefined);
  }
  return undefined;
}

/**
 * Builds the lab: three namespaces, two veth links, static addresses, loopbacks up, and the OT
 * firewall. Names carry our pid, so labs of parallel test runs never collide, and a lab left by a
 * killed run (its pid gone) is removed first.
 *
 * @example
 * ```ts
 * const lab = await createNetlab();
 * try { … } finally { await lab.teardown(); }
 * ```
 */
export async function createNetlab(): Promise<Netlab> {
  await removeStaleLabs();
  const id = process.pid.toString(36);
  const ns = { cell: `${PREFIX}-${id}-cell`, ot: `${PREFIX}-${id}-ot`, it: `${PREFIX}-${id}-it` };
  // Interface names: at most 15 characters.
  const ifs = { cell: `q${id}c`, otCell: `q${id}oc`, otUplink: `q${id}ou`, it: `q${id}i` };
  const ip = (...args: string[]) => run('ip', args);
  const exec = async (namespace: string, command: string, args: readonly string[]) =>
    (await run('ip', ['netns', 'exec', namespace, command, ...args])).stdout;
  const teardown = async () => {
    for (const name of Object.values(ns)) {
      await ip('netns', 'del', name).catch(() => undefined);
      created.delete(name);
    }
  };
  try {
    for (const name of Object.values(ns)) {
      await ip('netns', 'add', name);
      created.add(name);
      await ip('-n', name, 'link', 'set', 'lo', 'up');
    }
    await ip(
      'link',
      'add',
      ifs.cell,
      'netns',
      ns.cell,
      'type',
      'veth',
      'peer',
      'name',
      ifs.otCell,
      'netns',
      ns.ot,
    );
    await ip(
      'link',
      'add',
      ifs.otUplink,
      'netns',
      ns.ot,
      'type',
      'veth',
      'peer',
      'name',
      ifs.it,
      'netns',
      ns.it,
    );
    const address = async (namespace: string, dev: string, addr: string) => {
      await ip('-n', namespace, 'addr', 'add', `${addr}/24`, 'dev', dev);
      await ip('-n', namespace, 'link', 'set', dev, 'up');
    };
    await address(ns.cell, ifs.cell, ADDRESSES.cell);
    await address(ns.ot, ifs.otCell, ADDRESSES.otCell);
    await address(ns.ot, ifs.otUplink, ADDRESSES.otUplink);
    await address(ns.it, ifs.it, ADDRESSES.it);
    // When the broker host drops its old address, Linux would drop every secondary address of the
    // same subnet with it (the new one included) unless secondaries are promoted.
    await exec(ns.ot, 'sysctl', ['-qw', `net.ipv4.conf.${ifs.otCell}.promote_secondaries=1`]);
    const firewall = otFirewallRules(firewallAddresses(ifs));
    await nft(ns.ot, firewall);
    return { ns, ifs, firewall, exec, teardown };
  } catch (error) {
    await teardown();
    throw error;
  }
}

/** The interfaces and addresses the OT firewall of a lab is written for. */
export function firewallAddresses(ifs: Netlab['ifs']): FirewallAddresses {
  return {
    cellInterface: ifs.otCell,
    uplinkInterface: ifs.otUplink,
    itBroker: ADDRESSES.it,
    bridgePort: 8884,
    brokerPorts: [8883],
  };
}

/** Loads an nftables script into a namespace (`nft -f -`). */
export async function nft(namespace: string, script: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile('ip', ['netns', 'exec', namespace, 'nft', '-f', '-'], (error, _o, e) =>
      error ? reject(new Error(`nft in ${namespace}: ${e || error.message}`)) : resolve(),
    );
    child.stdin?.end(script);
  });
}

/** Deletes labs whose creating process is gone (a run killed before its teardown). */
async function removeStaleLabs(): Promise<void> {
  const { stdout } = await run('ip', ['netns', 'list']);
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = new RegExp(`^${PREFIX}-([0-9a-z]+)-`).exec(name);
    if (!match?.[1]) continue;
    const pid = parseInt(match[1], 36);
    if (pid === process.pid) continue;
    if (!isRunning(pid)) await run('ip', ['netns', 'del', name]).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
