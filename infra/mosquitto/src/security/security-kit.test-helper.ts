// Shared by the security specs: secrets made once per test file, mqtt.js connections that report
// why they failed instead of retrying, and the password scan.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import mqtt, { type IClientOptions as MqttOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { setupSecure, type SecureSetup } from './setup-secure.js';
import type { SecureMosquitto } from './start-secure-mosquitto.js';

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

/** A message as a test client received it. */
export interface Received {
  readonly topic: string;
  readonly payload: string;
}

/** Records every message a client receives, by topic and payload text. */
export function record(client: MqttClient): Received[] {
  const seen: Received[] = [];
  client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
  return seen;
}

/** Records what `client` receives on `filters` (subscribed with `qos`) from now on. */
export async function listen(
  client: MqttClient,
  filters: string | string[],
  qos: 0 | 1 = 1,
): Promise<Received[]> {
  const seen = record(client);
  await client.subscribeAsync(filters, { qos });
  return seen;
}

/**
 * Waits until every one of `seen` holds a message with `payload` (a sentinel published after the
 * messages under test): the broker serves a connection in order, so once it has arrived, anything
 * published before it that the reader may read has arrived too.
 */
export async function untilPayload(
  seen: readonly Received[][],
  payload = 'sentinel',
  timeout = 15_000,
): Promise<void> {
  await vi.waitFor(
    () =>
      expect(
        seen.every((s) => s.some((m) => m.payload === payload)),
        payload,
      ).toBe(true),
    { timeout },
  );
}

/** The PUBACK reason of a QoS 1 publish: 0, or the broker's refusal (MQTT 5: 0x87 not authorised). */
export function pubackReason(client: MqttClient, topic: string, payload: string): Promise<number> {
  return client.publishAsync(topic, payload, { qos: 1 }).then(
    () => 0,
    (error: Error & { code?: number }) => error.code ?? -1,
  );
}

/** Options to log in over TLS (the test CA; the broker's certificate is named localhost). */
export function loginAs(
  secrets: TestSecrets,
  user: string,
  password: string | undefined = secrets.passwords[user],
): IClientOptions {
  return {
    ca: secrets.ca,
    servername: 'localhost',
    username: user,
    ...(password === undefined ? {} : { password }),
  };
}

/** What {@link useSecureBroker} gives a describe block (valid inside its tests). */
export interface SecureBrokerSuite {
  readonly secrets: TestSecrets;
  readonly broker: SecureMosquitto;
  /** {@link loginAs} with this suite's secrets. */
  as(user: string, password?: string): IClientOptions;
}

/**
 * One secure broker for a describe block: secrets made and `start` run before its tests, clients
 * closed after each test (or, with `keepClients`, after all: tests that share connections), the
 * broker stopped after all.
 */
export function useSecureBroker(
  start: (secrets: TestSecrets) => Promise<SecureMosquitto>,
  options: {
    readonly hostnames?: readonly string[];
    readonly machines?: readonly string[];
    readonly keepClients?: boolean;
  } = {},
): SecureBrokerSuite {
  let secrets: TestSecrets | undefined;
  let broker: SecureMosquitto | undefined;
  beforeAll(async () => {
    secrets = await createTestSecrets(options.hostnames, options.machines);
    broker = await start(secrets);
  });
  if (!options.keepClients) afterEach(closeAllClients);
  afterAll(async () => {
    closeAllClients();
    await broker?.stop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSecureBroker: used outside a test');
    return value;
  };
  return {
    get secrets() {
      return ready(secrets);
    },
    get broker() {
      return ready(broker);
    },
    as: (user, password) =>
      loginAs(ready(secrets), user, password ?? ready(secrets).passwords[user]),
  };
}

/** Which of `secrets` occur in `text` (names only, so a failing test does not print them). */
export function leakedSecrets(text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => secret !== '' && text.includes(secret))
    .map(([name]) => name);
}
