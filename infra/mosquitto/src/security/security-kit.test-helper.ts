// Shared by the security specs: secrets made once per test file, mqtt.js connections that report
// why they failed instead of retrying, and the password scan.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import mqtt, { type IClientOptions as MqttOptions, type MqttClient } from 'mqtt';
import { setupSecure, type SecureSetup } from './setup-secure.js';

/** Secrets for one test file, with the plain passwords loaded (tests only). */
export interface TestSecrets extends SecureSetup {
  readonly ca: Buffer;
  readonly passwords: Readonly<Record<string, string>>;
}

export async function createTestSecrets(
  hostnames: readonly string[] = [],
  machines: readonly string[] = [],
): Promise<TestSecrets> {
  const setup = await setupSecure({
    dir: await mkdtemp(join(tmpdir(), 'ot-mqtt-secrets-')),
    hostnames,
    machines,
  });
  const passwords: Record<string, string> = {};
  for (const [user, files] of Object.entries(setup.users)) {
    if (files.passwordFile) passwords[user] = (await readFile(files.passwordFile, 'utf8')).trim();
  }
  return { ...setup, ca: await readFile(setup.caFile), passwords };
}

/** mqtt.js options plus the TLS version and cipher settings it passes through to `tls.connect`. */
export type IClientOptions = MqttOptions &
  Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;

export type ConnectResult =
  { ok: true; client: MqttClient } | { ok: false; error: Error & { code?: string | number } };

const open = new Set<MqttClient>();

/**
 * One connection attempt, never retried: resolves with the client once CONNACK accepts it, or with
 * the error (TLS alert, CONNACK refusal, closed socket) — whichever comes first.
 */
export function tryConnect(
  url: string,
  options: IClientOptions = {},
  timeoutMs = 15_000,
): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, {
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      rejectUnauthorized: true,
      clean: true,
      ...options,
    });
    open.add(client);
    const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      client.end(true);
      open.delete(client);
      resolve({ ok: false, error });
    }
    client.once('connect', () => {
      clearTimeout(timer);
      resolve({ ok: true, client });
    });
    client.once('error', (error) => fail(error));
    client.once('close', () => fail(new Error('connection closed before CONNACK')));
  });
}

export async function connectOrThrow(
  url: string,
  options: IClientOptions = {},
): Promise<MqttClient> {
  const result = await tryConnect(url, options);
  if (!result.ok) throw new Error(`could not connect to ${url}: ${result.error.message}`);
  result.client.removeAllListeners('close');
  result.client.removeAllListeners('error');
  result.client.on('error', () => undefined);
  return result.client;
}

export function closeAllClients(): void {
  // Forced and synchronous: a client whose socket is already gone never calls back from end().
  for (const client of open) {
    client.end(true);
    client.stream?.destroy();
  }
  open.clear();
}

/** Records every message a client receives, by topic and payload text. */
export function record(client: MqttClient): Array<{ topic: string; payload: string }> {
  const seen: Array<{ topic: string; payload: string }> = [];
  client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
  return seen;
}

/** Which of `secrets` occur in `text` (names only, so a failing test does not print them). */
export function leakedSecrets(text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => secret !== '' && text.includes(secret))
    .map(([name]) => name);
}
