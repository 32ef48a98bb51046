import { DEFAULT_RECONNECT, type ResolvedReconnectOptions } from '../backoff.js';
import { MqttClientError } from '../mqtt-client-error.js';
import type { ClientClock, MqttClientOptions } from '../mqtt-client-options.js';
import { assertValidTopic } from '../topic-filter.js';
import { SharedBudget } from './shared-budget.js';

/** Options after validation, with defaults applied and credentials moved out of the URL. */
export interface ResolvedOptions {
  /** The brokers to connect to, tried in turn (one unless `urls` was given). */
  readonly nodes: readonly BrokerNode[];
  /** The first node's URL. */
  readonly url: string;
  readonly redactedUrl: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly protocolVersion: 4 | 5;
  readonly keepaliveSeconds: number;
  readonly clean: boolean;
  readonly sessionExpirySeconds?: number;
  readonly connectTimeoutMs: number;
  readonly noDelay: boolean;
  readonly reconnect: ResolvedReconnectOptions;
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly overflow: 'drop-oldest' | 'reject-new';
  readonly maxInFlight: number;
  readonly budget: SharedBudget | undefined;
  readonly clock: ClientClock;
  readonly random: () => number;
  readonly source: MqttClientOptions;
}

const SCHEMES = new Set(['mqtt:', 'mqtts:', 'ws:', 'wss:']);

// Lazily bound so vitest's fake timers (installed after import) are honoured.
const globalClock: ClientClock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

function invalid(message: string): MqttClientError {
  return new MqttClientError('INVALID_OPTIONS', message);
}

function number(
  value: number | undefined,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw invalid(`${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/** Strips `user:password@` from a URL string for display, even when it does not parse. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1***@');
}

function randomId(random: () => number): string {
  let id = '';
  for (let i = 0; i < 8; i++) id += Math.floor(random() * 16).toString(16);
  return `ot-mqtt-${id}`;
}

/** One broker of {@link ResolvedOptions.nodes}, with its credentials out of the URL. */
export interface BrokerNode {
  /** The URL to connect to, credentials removed. */
  readonly url: string;
  /** The same, safe to log. */
  readonly redactedUrl: string;
  readonly username?: string;
  readonly password?: string;
}

function parseNode(raw: unknown, name: string, options: MqttClientOptions): BrokerNode {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new MqttClientError(
      'INVALID_URL',
      `${name} must be a non-empty string such as mqtt://localhost:1883`,
    );
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new MqttClientError(
      'INVALID_URL',
      `${name} ${JSON.stringify(redactUrl(raw))} is not a valid URL (expected e.g. mqtt://localhost:1883)`,
    );
  }
  if (!SCHEMES.has(parsed.protocol))
    throw new MqttClientError(
      'INVALID_URL',
      `${name} scheme ${JSON.stringify(parsed.protocol)} is not supported: use mqtt:, mqtts:, ws: or wss:`,
    );
  if (parsed.hostname === '')
    throw new MqttClientError(
      'INVALID_URL',
      `${name} ${JSON.stringify(redactUrl(raw))} has no host`,
    );
  const username =
    options.username ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined);
  const password =
    options.password ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined);
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString();
  return {
    url,
    redactedUrl: redactUrl(url),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
}

function parseNodes(options: MqttClientOptions): BrokerNode[] {
  const { url, urls } = options;
  if (urls === undefined) return [parseNode(url, 'url', options)];
  // `{ ...connection }` from a config that names its first broker as `url` too is fine.
  if (url !== undefined && !(Array.isArray(urls) && urls.includes(url)))
    throw invalid('give either url or urls, not both (urls: every broker, tried in turn)');
  if (!Array.isArray(urls) || urls.length === 0)
    throw new MqttClientError(
      'INVALID_URL',
      'urls must be a non-empty array of broker URLs such as ["mqtt://node-a:1883", "mqtt://node-b:1883"]',
    );
  if (urls.length > 64) throw invalid(`urls may list at most 64 brokers, got ${urls.length}`);
  return urls.map((raw, i) => parseNode(raw, `urls[${i}]`, options));
}

/** Validates options and fills in defaults; throws `INVALID_URL`/`INVALID_OPTIONS`. */
export function resolveOptions(options: MqttClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw invalid('createMqttClient needs an options object with at least { url }');
  const nodes = parseNodes(options);
  const { url, redactedUrl, username, password } = nodes[0]!;

  const random = options.random ?? Math.random;
  const clientId = options.clientId ?? randomId(random);
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 65_535)
    throw invalid(`clientId must be a non-empty string, got ${JSON.stringify(clientId)}`);
  const protocolVersion = options.protocolVersion ?? 4;
  if (protocolVersion !== 4 && protocolVersion !== 5)
    throw invalid(`protocolVersion must be 4 (MQTT 3.1.1) or 5, got ${String(protocolVersion)}`);
  const clean = options.clean ?? false;
  if (options.sessionExpirySeconds !== undefined && protocolVersion !== 5)
    throw invalid(
      'sessionExpirySeconds needs protocolVersion 5 (MQTT 3.1.1 has no session expiry)',
    );
  const sessionExpirySeconds =
    protocolVersion === 5
      ? number(
          options.sessionExpirySeconds,
          'sessionExpirySeconds',
          clean ? 0 : 3600,
          0,
          0xffffffff,
        )
      : undefined;
  if (options.will && typeof options.will !== 'function') {
    try {
      assertValidTopic(options.will.topic);
    } catch (error) {
      throw invalid(`will.topic: ${(error as Error).message}`);
    }
  }
  const r = options.reconnect ?? {};
  const reconnect: ResolvedReconnectOptions = {
    initialDelayMs: number(
      r.initialDelayMs,
      'reconnect.initialDelayMs',
      DEFAULT_RECONNECT.initialDelayMs,
      0,
    ),
    maxDelayMs: number(r.maxDelayMs, 'reconnect.maxDelayMs', DEFAULT_RECONNECT.maxDelayMs, 0),
    multiplier: number(r.multiplier, 'reconnect.multiplier', DEFAULT_RECONNECT.multiplier, 1),
    jitter: number(r.jitter, 'reconnect.jitter', DEFAULT_RECONNECT.jitter, 0, 1),
    stableAfterMs: number(
      r.stableAfterMs,
      'reconnect.stableAfterMs',
      DEFAULT_RECONNECT.stableAfterMs,
      0,
    ),
    onSessionTakenOver: r.onSessionTakenOver ?? DEFAULT_RECONNECT.onSessionTakenOver,
    giveUpOn: [...(r.giveUpOn ?? DEFAULT_RECONNECT.giveUpOn)],
  };
  if (reconnect.maxDelayMs < reconnect.initialDelayMs)
    throw invalid(
      `reconnect.maxDelayMs (${reconnect.maxDelayMs}) must not be below reconnect.initialDelayMs (${reconnect.initialDelayMs})`,
    );
  if (reconnect.onSessionTakenOver !== 'stop' && reconnect.onSessionTakenOver !== 'retry')
    throw invalid(`reconnect.onSessionTakenOver must be 'stop' or 'retry'`);
  const noDelay = options.noDelay ?? true;
  if (typeof noDelay !== 'boolean')
    throw invalid(`noDelay must be true or false, got ${JSON.stringify(noDelay)}`);
  const o = options.outbox ?? {};
  const overflow = o.overflow ?? 'drop-oldest';
  if (overflow !== 'drop-oldest' && overflow !== 'reject-new')
    throw invalid(
      `outbox.overflow must be 'drop-oldest' or 'reject-new', got ${JSON.stringify(overflow)}`,
    );
  if (o.budget !== undefined && !(o.budget instanceof SharedBudget))
    throw invalid('outbox.budget must be made by createOutboxBudget()');
  return {
    nodes,
    url,
    redactedUrl,
    clientId,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    protocolVersion,
    keepaliveSeconds: number(options.keepaliveSeconds, 'keepaliveSeconds', 60, 0, 65_535),
    clean,
    ...(sessionExpirySeconds === undefined ? {} : { sessionExpirySeconds }),
    connectTimeoutMs: number(options.connectTimeoutMs, 'connectTimeoutMs', 30_000, 1),
    noDelay,
    reconnect,
    maxMessages: number(o.maxMessages, 'outbox.maxMessages', 10_000, 1),
    maxBytes: number(o.maxBytes, 'outbox.maxBytes', 16 * 1024 * 1024, 1),
    overflow,
    maxInFlight: number(o.maxInFlight, 'outbox.maxInFlight', 100, 1, 65_535),
    budget: o.budget,
    clock: options.clock ?? globalClock,
    random,
    source: options,
  };
}
