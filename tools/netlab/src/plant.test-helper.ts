import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BRIDGE_CONFIG_DIR,
  PRODUCTION_CONFIG_DIR,
  SECURE_USERS,
  setupSecure,
  startSecureMosquitto,
  type SecureMosquitto,
  type SecureSetup,
} from '@ot-mqtt/broker';
import { collectLines } from '@ot-mqtt/broker/testing';
import { ADDRESSES, type Netlab } from './netlab.js';

/** The built agent: the lab runs exactly what `npx nx serve agent` runs. */
export const AGENT_MAIN = fileURLToPath(
  new URL('../../../apps/agent/dist/main.js', import.meta.url),
);

/** The account of a fleet agent on one shared connection, and its machines (docs/security.md). */
export const FLEET_ACCOUNT = 'line-a';

/** Machine ids of a fleet of `size` with the agent's default prefix (`filler-0001`, …). */
export const fleetMachineIds = (size: number): string[] =>
  Array.from(
    { length: size },
    (_, i) => `filler-${String(i + 1).padStart(Math.max(4, String(size).length), '0')}`,
  );

/** Secrets for the lab: server certificates name every address a broker has or moves to. */
export async function labSecrets(): Promise<SecureSetup> {
  return setupSecure({
    dir: await mkdtemp(join(tmpdir(), 'ot-mqtt-netlab-secrets-')),
    hostnames: Object.values(ADDRESSES),
    users: [...SECURE_USERS, FLEET_ACCOUNT],
  });
}

/** Options of {@link startOtBroker}. */
export interface OtBrokerOptions {
  /** Machines the fleet account may write (one `topic` line each, as for a shared-connection fleet). */
  readonly machines: readonly string[];
  /** Bridge keepalive (s): the shipped file's 60 unless a scenario needs a shorter bound. */
  readonly bridgeKeepaliveSeconds?: number;
}

/**
 * The OT broker: the production profile with the shipped bridge file (its `address` pointed at
 * the lab's IT broker), bound to every address of the OT host (the firewall, not the bind
 * address, decides who gets in), run inside the OT namespace.
 */
export async function startOtBroker(
  lab: Netlab,
  secrets: SecureSetup,
  options: OtBrokerOptions,
): Promise<SecureMosquitto> {
  const profileDir = await mkdtemp(join(tmpdir(), 'ot-mqtt-netlab-ot-'));
  await cp(PRODUCTION_CONFIG_DIR, profileDir, { recursive: true });
  const lines = [`\nuser ${FLEET_ACCOUNT}`];
  for (const id of options.machines)
    lines.push(`topic write plc/bottlefiller/${id}/#`, `topic read plc/bottlefiller/${id}/command`);
  await appendFile(join(profileDir, 'acl'), lines.join('\n') + '\n');
  return startSecureMosquitto({
    secretsDir: secrets.brokerDir,
    profileDir,
    include: [join(BRIDGE_CONFIG_DIR, 'ot-to-it-bridge.conf')],
    transform: (text) =>
      text
        .replace(/^address .*$/m, `address ${ADDRESSES.it}:8884`)
        .replace(
          /^keepalive_interval \d+$/m,
          `keepalive_interval ${options.bridgeKeepaliveSeconds ?? 60}`,
        ),
    ports: { 8883: 8883, 9443: 9443 },
    bindAddress: '0.0.0.0',
    netns: lab.ns.ot,
  });
}

/** The IT broker (config/bridge/it-broker) on its own address in the IT namespace. */
export async function startItBroker(lab: Netlab, secrets: SecureSetup): Promise<SecureMosquitto> {
  return startSecureMosquitto({
    secretsDir: secrets.brokerDir,
    profileDir: join(BRIDGE_CONFIG_DIR, 'it-broker'),
    ports: { 8883: 8883, 8884: 8884 },
    bindAddress: ADDRESSES.it,
    netns: lab.ns.it,
    extra: 'log_type subscribe',
  });
}

/** A process inside a namespace, its output collected line by line. */
export interface LabProcess {
  readonly pid: number;
  readonly lines: string[];
  alive(): boolean;
  /** SIGTERM by pid, SIGKILL after `timeoutMs`; resolves with the exit code or signal. */
  stop(timeoutMs?: number): Promise<number | string>;
  readonly exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `command` inside `namespace` with exactly `env` (plus PATH). */
export function startInNamespace(
  namespace: string,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
): LabProcess {
  // `ip netns exec` enters the namespace and execs the command: the pid is the command's.
  const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    collectLines(stream, (line) => lines.push(line));
  const exited = new Promise<number | string>((res) =>
    child.once('close', (code, signal) => {
      running.delete(child);
      res(code ?? signal ?? -1);
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? -1,
    lines,
    alive,
    exited,
    async stop(timeoutMs = 15_000) {
      if (alive()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Options of {@link startFleet}. */
export interface FleetOptions {
  readonly size: number;
  /** MQTT_URL (one URL, or a comma-separated list where the agent supports it). */
  readonly url: string;
  readonly keepaliveSeconds: number;
  readonly clientId?: string;
}

/** The built agent as a fleet on one shared connection, in the field (cell) namespace, over TLS. */
export function startFleet(lab: Netlab, secrets: SecureSetup, options: FleetOptions): LabProcess {
  return startInNamespace(lab.ns.cell, process.execPath, [AGENT_MAIN], {
    MQTT_URL: options.url,
    MQTT_CA_FILE: secrets.caFile,
    MQTT_USERNAME: FLEET_ACCOUNT,
    MQTT_PASSWORD_FILE: secrets.users[FLEET_ACCOUNT]!.passwordFile!,
    MQTT_CLIENT_ID: options.clientId ?? 'netlab-line-a',
    MQTT_KEEPALIVE: String(options.keepaliveSeconds),
    FILLER_COUNT: String(options.size),
    // Sized for the outages the lab rides out: 100 fillers make 350 messages/s, so the default
    // 10,000 (shared connection: 14 per filler) holds 29 s. 100,000 holds ~4.7 min (~95 MB,
    // inside the 128 MiB OUTBOX_BUDGET_MB).
    OUTBOX_MAX_MESSAGES: '100000',
    SUMMARY_INTERVAL: '5',
  });
}
