import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mqtt, { type IClientOptions } from 'mqtt';
import { encodeScan, type BottleFillerTags } from '@ot-mqtt/tag-model';
import { exampleTags } from '@ot-mqtt/tag-model/testing';
import { vi } from 'vitest';

/** The built gateway: integration tests run what `npx nx serve gateway` runs. */
export const GATEWAY_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Fails early with the command that fixes it. */
export function assertBuilt(): void {
  if (!existsSync(GATEWAY_MAIN))
    throw new Error(`${GATEWAY_MAIN} is missing: run \`npx nx build gateway\` first`);
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A gateway process. */
export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Base URL once listening. */
  readonly url: string;
  /** SIGTERM and wait. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

/** Runs the gateway to completion (for --help and bad configuration). */
export async function runGateway(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  const child = spawn(process.execPath, [GATEWAY_MAIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  return { code, stdout, stderr };
}

/** Starts the gateway on a free HTTP port and resolves once it listens. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  assertBuilt();
  const child = spawn(process.execPath, [GATEWAY_MAIN], {
    env: { PATH: process.env['PATH'] ?? '', GATEWAY_PORT: '0', LOG_LEVEL: 'debug', ...env },
  });
  live.add(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      live.delete(child);
      done(code);
    }),
  );
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`gateway did not start within 45 s:\n${out}`)),
      45_000,
    );
    const check = () => {
      const m = /gateway listening on (http:\/\/\S+)/u.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        done(m[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`gateway exited (${code}) before listening:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** GET a JSON document, or `undefined` when the gateway does not answer. */
export async function getJson<T>(url: string): Promise<{ status: number; body: T } | undefined> {
  try {
    const res = await fetch(url);
    return { status: res.status, body: (await res.json()) as T };
  } catch {
    return undefined;
  }
}

/** `vi.waitFor` until `predicate` holds, or rejects naming `what` after `timeoutMs`. */
export async function waitFor(
  predicate: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await predicate())) throw new Error(`still waiting: ${what()}`);
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** Waits until /readyz says ready. */
export async function waitReady(gw: GatewayProcess, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => (await getJson(`${gw.url}/readyz`))?.status === 200,
    timeoutMs,
    () => `gateway ready\n${gw.output()}`,
  );
}

/** Every sequence stored for a machine (all of them, in order). */
export async function storedSequences(gatewayUrl: string, machineId: string): Promise<number[]> {
  const r = await getJson<Array<{ sequence: number }>>(
    `${gatewayUrl}/api/machines/${machineId}/scans?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=100000`,
  );
  return r?.status === 200 ? r.body.map((s) => s.sequence) : [];
}

/**
 * Waits until `machineId` has at least `count` scans stored (`gw`'s output in the failure);
 * resolves with their sequences, so a caller checks them without asking again.
 */
export async function untilStored(
  gw: GatewayProcess,
  machineId: string,
  count: number,
  timeoutMs = 20_000,
): Promise<number[]> {
  let stored: number[] = [];
  await waitFor(
    async () => (stored = await storedSequences(gw.url, machineId)).length >= count,
    timeoutMs,
    () => gw.output(),
  );
  return stored;
}

/** The example scan at `level`; `fault` raises Fault and the Overfill alarm and stops the machine. */
export function someTags(level = 50, fault = false): BottleFillerTags {
  return exampleTags({
    analog: { FillLevel: level },
    outputs: { IndicatorGreen: !fault, IndicatorRed: fault },
    status: { SystemRunning: !fault, Fault: fault },
    alarms: { Overfill: fault },
  });
}

/**
 * A QoS 1 publisher of `data` messages (fleet topics), each publish resolved on PUBACK; `options`
 * add a login or TLS material.
 */
export async function createPublisher(brokerUrl: string, options: IClientOptions = {}) {
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId: `test-pub-${process.pid}-${Math.random()}`,
    clean: true,
    ...options,
  });
  const start = Date.now() - 3_600_000;
  return {
    client,
    /** Publishes scan `sequence` of `machineId` (time: start + sequence × 2 s), resolved on PUBACK. */
    async publishScan(
      machineId: string,
      sequence: number,
      tags = someTags(sequence % 100),
    ): Promise<void> {
      const data = encodeScan(tags, {
        machineId,
        sequence,
        timestamp: new Date(start + sequence * 2_000),
        includeMachineLevel: true,
      }).find((m) => m.topic.endsWith('/data'))!;
      await client.publishAsync(data.topic, data.payload, { qos: 1 });
    },
    close: () => client.endAsync(),
  };
}
