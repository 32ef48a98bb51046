import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ot-mqtt/broker';
import { brokerTest, collectLines } from '@ot-mqtt/broker/testing';
import { vi } from 'vitest';

/** The built agent, as `npx nx serve agent` runs it (CI builds everything before vitest). */
export const AGENT_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(AGENT_MAIN))
    throw new Error(`${AGENT_MAIN} is missing: run \`npx nx build agent\` before these tests`);
}

/**
 * `vi.waitFor` for a condition that yields what it found: resolves with the first truthy value of
 * `predicate`, or fails naming `what` after `timeoutMs`.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | false,
  what: string,
  timeoutMs = 45_000,
): Promise<T> {
  return vi.waitFor(
    () => {
      const value = predicate();
      if (value === undefined || value === false) throw new Error(`still waiting for ${what}`);
      return value;
    },
    { timeout: timeoutMs, interval: 25 },
  );
}

/** A spawned process with its output collected line by line. */
export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Waits for a line on stdout or stderr matching `pattern`. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const children = new Set<ChildProcess>();

/** SIGKILLs every process spawned by this helper that is still running (afterEach/afterAll). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
}

export function spawnLines(command: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, (line) => stdout.push(line));
  collectLines(child.stderr, (line) => stderr.push(line));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    child,
    pid: child.pid ?? -1,
    stdout,
    stderr,
    exited,
    line: (pattern, timeoutMs) =>
      waitFor(
        () => [...stdout, ...stderr].find((l) => pattern.test(l)),
        `a line matching ${pattern} (got:\n${[...stdout, ...stderr].join('\n')})`,
        timeoutMs,
      ),
  };
}

/** The agent's broker variables for a test broker's plain MQTT listener (host and port, as documented). */
export const brokerEnv = (broker: {
  readonly host: string;
  readonly ports: Readonly<Record<number, number>>;
}): Record<string, string> => ({
  MQTT_BROKER_HOST: broker.host,
  MQTT_BROKER_PORT: String(broker.ports[1883]),
});

/** Broker variables naming a free port on which nothing listens: the whole run is an outage. */
export const noBrokerEnv = async (): Promise<Record<string, string>> => ({
  MQTT_BROKER_HOST: '127.0.0.1',
  MQTT_BROKER_PORT: String(await freePort()),
});

/** Starts the built agent with only the given variables (plus PATH), so the developer's own env cannot leak in. */
export function spawnAgent(env: Record<string, string>, args: string[] = []): Spawned {
  assertBuilt();
  return spawnLines(process.execPath, [AGENT_MAIN, ...args], {
    PATH: process.env['PATH'] ?? '',
    ...env,
  });
}

/**
 * The broker fixtures plus `subscribe(filter, args?)`: a third-party `mosquitto_sub` (QoS 1) on the
 * file's broker, subscribed once it resolves, ended when the test ends; the agents a test spawned
 * are killed when it ends.
 */
export const agentTest = brokerTest
  .extend('subscribe', async ({ broker, mosquittoSub }) => {
    return async (filter: string, args: string[] = []) => {
      const sub = await mosquittoSub({ url: broker.url, topics: [filter], args });
      return { sub, seen: () => sub.messages() };
    };
  })
  // Every test ends with the agents it spawned killed, without an afterEach in each file.
  // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from the pattern
  .extend('killsAgents', { auto: true }, async ({}, { onCleanup }) => {
    onCleanup(killAll);
  });
