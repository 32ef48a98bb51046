// The default import, not `{ connect }`: mqtt.js's browser build (dist/mqtt.esm.js, picked by
// bundlers through the `browser` export condition) has only a default export.
import mqtt from 'mqtt';
import type {
  IClientOptions,
  IConnackPacket,
  IDisconnectPacket,
  IPublishPacket,
  MqttClient as MqttJsClient,
  Packet,
} from 'mqtt';
import { Observable, ReplaySubject, Subject, type Subscriber } from 'rxjs';
import { backoffDelay } from '../backoff.js';
import type { ClientEvent, ConnectionState, DropReason } from '../connection-state.js';
import { MqttClientError } from '../mqtt-client-error.js';
import type {
  CloseOptions,
  MqttClient,
  MqttClientStats,
  MqttMessage,
  ObserveOptions,
  PublishOptions,
} from '../mqtt-client.js';
import { assertValidFilter, assertValidTopic, matchingPart } from '../topic-filter.js';
import { compileFilter, matchesCompiled, type CompiledFilter } from './compiled-filter.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import type { BudgetMember } from './shared-budget.js';
import { describeReasonCode } from './reason-codes.js';
import type { ResolvedOptions } from './resolve-options.js';
import { toClientError } from './to-client-error.js';
import { toWire, utf8Length } from './wire.js';

/** One broker subscription, shared by every observer of the same filter. */
interface FilterEntry {
  readonly filter: string;
  readonly compiled: CompiledFilter;
  qos: 0 | 1;
  /**
   * Copy-on-write: replaced, never mutated, so a message is delivered to a stable list even when an
   * observer subscribes or unsubscribes from inside its callback, without copying per message.
   */
  observers: ReadonlyArray<Subscriber<MqttMessage>>;
  /** The broker holds this subscription in the current session (SUBACK received). */
  acked: boolean;
  /** Generation of the connection a SUBSCRIBE is outstanding on (0 = none). */
  subscribingOn: number;
  /** A SUBSCRIBE for it has been written at least once. */
  sent: boolean;
}

const noop = () => undefined;

/** The socket calls of Node's `net.Socket` this client uses; duck-typed (nothing Node-only imported). */
interface SocketLike {
  setNoDelay?: (noDelay: boolean) => unknown;
  cork?: () => void;
  uncork?: () => void;
}

/** Duck-typed so nothing Node-only is imported: WebSocket streams have no such method. */
function setNoDelay(stream: unknown): void {
  const socket = stream as SocketLike | undefined;
  if (typeof socket?.setNoDelay === 'function') socket.setNoDelay(true);
}
/** Clean closes in a row, each soon after CONNACK, that make a suspected session takeover. */
const KICKS_FOR_TAKEOVER = 3;
/**
 * How soon after CONNACK a clean close counts as a kick. Another client fighting over the id comes
 * back after its own retry delay — about a second for mqtt.js (fixed 1 s), Paho and this client —
 * and closes us the moment it is accepted; a link or proxy that cuts connections does so at its
 * own pace, unrelated to our CONNACK.
 */
const KICK_WINDOW_MS = 2_000;

/**
 * The client behind {@link createMqttClient}. One mqtt.js client per connection attempt, with
 * mqtt.js's own reconnect, resubscribe and offline queue switched off: those are done here.
 */
export class ReconnectingClient implements MqttClient, BudgetMember {
  readonly clientId: string;
  readonly url: string;
  readonly state$: Observable<ConnectionState>;
  readonly events$: Observable<ClientEvent>;

  // ReplaySubject(1) rather than BehaviorSubject: a late subscriber still gets 'closed' after the
  // stream has completed.
  private readonly stateSubject = new ReplaySubject<ConnectionState>(1);
  private currentState: ConnectionState = { status: 'connecting', attempt: 1 };
  private readonly eventsSubject = new Subject<ClientEvent>();
  private readonly outbox: Outbox;
  private readonly filters = new Map<string, FilterEntry>();
  /** The values of `filters` in order, copy-on-write like `FilterEntry.observers` (hot path). */
  private routes: readonly FilterEntry[] = [];
  /** Filters given up while offline that the broker may still hold in a persistent session. */
  private readonly pendingUnsubscribes = new Set<string>();
  private readonly counters = { sent: 0, received: 0, acknowledged: 0, dropped: 0, reconnects: 0 };
  private drainWaiters: Array<() => void> = [];

  private conn: MqttJsClient | undefined;
  /** Incremented per attempt; callbacks of older mqtt.js clients compare and go quiet. */
  private generation = 0;
  /** Generation of the live connection, 0 while not connected. */
  private connectedOn = 0;
  private sessionPresent = false;
  private lastError: MqttClientError | undefined;
  private attempt = 1;
  private failures = 0;
  private retryTimer: unknown;
  private stableTimer: unknown;
  private everConnected = false;
  private hadSession = false;
  private receiveMaximum = 65_535;
  /** Connections in a row the broker closed right after accepting them (takeover heuristic). */
  private kicks = 0;
  private connectedAt = 0;
  /** The broker sent something after CONNACK on the current connection: the link worked. */
  private carriedTraffic = false;
  private closing = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(private readonly opts: ResolvedOptions) {
    this.clientId = opts.clientId;
    const budget = opts.budget;
    this.outbox = new Outbox(
      budget && {
        charge: (entry) => budget.charge(entry, this),
        release: (entry) => budget.release(entry),
      },
    );
    this.url = opts.redactedUrl;
    this.stateSubject.next(this.currentState);
    this.state$ = this.stateSubject.asObservable();
    this.events$ = this.eventsSubject.asObservable();
    this.connect();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  // ---------------------------------------------------------------- connection loop

  private connect(): void {
    const gen = ++this.generation;
    this.lastError = undefined;
    this.setState({ status: 'connecting', attempt: this.attempt });
    const o = this.opts;
    const tls = o.source.tls;
    const will = o.source.will;
    const options: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: o.protocolVersion,
      keepalive: o.keepaliveSeconds,
      clean: o.clean,
      connectTimeout: o.connectTimeoutMs,
      // Our loop, not mqtt.js's: its reconnect is a fixed interval (no backoff/jitter), its
      // resubscribe has duplicated SUBSCRIBEs, and its offline queue is unbounded.
      reconnectPeriod: 0,
      resubscribe: false,
      queueQoSZero: false,
      // mqtt-packet would otherwise pre-build 65,536 two-byte Buffers for packet ids and lengths on
      // the first write: ~9 MB of resident memory (issue 6, benchmark 5) to save a 2-byte allocation.
      writeCache: false,
      ...(o.username === undefined ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: o.password }),
      ...(o.protocolVersion === 5 && o.sessionExpirySeconds
        ? { properties: { sessionExpiryInterval: o.sessionExpirySeconds } }
        : {}),
      ...(will
        ? {
            will: {
              topic: will.topic,
              payload: toWire(will.payload) as Buffer,
              qos: will.qos ?? 0,
              retain: will.retain ?? false,
            },
          }
        : {}),
      ...(tls?.ca === undefined ? {} : { ca: tls.ca as IClientOptions['ca'] }),
      ...(tls?.cert === undefined ? {} : { cert: tls.cert as IClientOptions['cert'] }),
      ...(tls?.key === undefined ? {} : { key: tls.key as IClientOptions['key'] }),
      ...(tls?.servername === undefined ? {} : { servername: tls.servername }),
      ...(tls?.rejectUnauthorized === undefined
        ? {}
        : { rejectUnauthorized: tls.rejectUnauthorized }),
    };
    let client: MqttJsClient;
    try {
      client = mqtt.connect(o.url, options);
    } catch (error) {
      this.lastError = this.wrapError(error);
      queueMicrotask(() => this.onClose(gen));
      return;
    }
    this.conn = client;
    // mqtt.js creates the socket synchronously and never sets TCP_NODELAY; set now, Node applies it
    // as soon as the socket is connected (TCP and TLS alike).
    if (o.noDelay) setNoDelay(client.stream);
    client.on('error', (error) => {
      // The first error is the cause (later ones are usually EPIPE & co from the dying socket).
      if (gen === this.generation && !this.lastError) this.lastError = this.wrapError(error);
    });
    client.on('disconnect', (packet: IDisconnectPacket) => {
      if (gen === this.generation) this.lastError = this.serverDisconnectError(packet);
    });
    client.on('connect', (connack: IConnackPacket) => this.onConnect(gen, connack));
    client.on('packetreceive', (packet: Packet) => {
      if (gen === this.connectedOn && packet.cmd !== 'connack' && packet.cmd !== 'disconnect')
        this.carriedTraffic = true;
    });
    client.on('message', (topic: string, payload: Uint8Array, packet: IPublishPacket) => {
      if (gen === this.generation) this.onMessage(topic, payload, packet);
    });
    client.on('close', () => this.onClose(gen));
  }

  private wrapError(error: unknown): MqttClientError {
    return toClientError(error, {
      url: this.opts.redactedUrl,
      protocolVersion: this.opts.protocolVersion,
      ...(this.opts.password === undefined ? {} : { password: this.opts.password }),
    });
  }

  private serverDisconnectError(packet: IDisconnectPacket): MqttClientError {
    const rc = packet.reasonCode ?? 0;
    const words = describeReasonCode(rc, 5);
    if (rc === 0x8e)
      return new MqttClientError(
        'SESSION_TAKEN_OVER',
        `Broker ${this.opts.redactedUrl} disconnected client id ${JSON.stringify(this.opts.clientId)}: another client connected with the same id — ${words}`,
        rc,
      );
    return new MqttClientError(
      'SERVER_DISCONNECT',
      `Broker ${this.opts.redactedUrl} sent DISCONNECT: ${words}`,
      rc,
    );
  }

  private onConnect(gen: number, connack: IConnackPacket): void {
    if (gen !== this.generation || this.closed) return;
    const sessionPresent = connack.sessionPresent === true;
    this.connectedOn = gen;
    this.connectedAt = this.opts.clock.now();
    this.carriedTraffic = false;
    this.sessionPresent = sessionPresent;
    this.receiveMaximum = connack.properties?.receiveMaximum ?? 65_535;
    if (this.everConnected) this.counters.reconnects++;
    const lostSession = this.hadSession && !sessionPresent;
    this.hadSession = !this.opts.clean;
    this.stableTimer = this.opts.clock.setTimeout(() => {
      this.stableTimer = undefined;
      this.failures = 0;
      this.attempt = 0;
      this.kicks = 0;
    }, this.opts.reconnect.stableAfterMs);

    const previouslyAcked: string[] = [];
    for (const entry of this.filters.values()) if (entry.acked) previouslyAcked.push(entry.filter);
    if (!sessionPresent) {
      for (const entry of this.filters.values()) entry.acked = false;
      this.pendingUnsubscribes.clear();
    }
    this.setState({ status: 'connected', sessionPresent, since: new Date(this.opts.clock.now()) });
    this.emit({ type: 'connected', sessionPresent, attempt: this.attempt });
    if (lostSession) this.emit({ type: 'session-lost' });

    if (sessionPresent && this.pendingUnsubscribes.size > 0) {
      this.conn?.unsubscribe([...this.pendingUnsubscribes], noop);
      this.pendingUnsubscribes.clear();
    }
    const toSubscribe = [...this.filters.values()].filter((e) => !e.acked);
    if (toSubscribe.length > 0) this.sendSubscribe(toSubscribe);
    if (!sessionPresent && this.everConnected && previouslyAcked.length > 0)
      this.emit({ type: 'resubscribed', filters: previouslyAcked });
    this.everConnected = true;

    const resend = this.pendingResend;
    this.pendingResend = 0;
    if (resend > 0) this.emit({ type: 'republished', count: resend, sessionPresent });
    this.pump();
  }

  /** Unacknowledged messages put back in the outbox by the last lost connection. */
  private pendingResend = 0;

  private onClose(gen: number): void {
    if (gen !== this.generation) return;
    const client = this.conn;
    this.conn = undefined;
    if (client) this.discard(client);
    const wasConnected = this.connectedOn === gen;
    this.connectedOn = 0;
    if (this.stableTimer !== undefined) {
      this.opts.clock.clearTimeout(this.stableTimer);
      this.stableTimer = undefined;
    }
    // In-flight QoS 1 is kept by us, not by mqtt.js's store: it goes back to the front of the
    // outbox and is written again on the next connection (mqtt.js would drop it on reconnect()).
    // QoS 0 cut off on its way out is lost, and said so: at most once means never twice.
    const { requeued, cutOff } = this.outbox.requeueInFlight();
    this.pendingResend += requeued;
    for (const entry of cutOff)
      this.drop(
        entry,
        'connection-lost',
        new MqttClientError(
          'DROPPED',
          `publish(${entry.topic}): the connection was lost while this QoS 0 message was being written; QoS 0 is never sent twice`,
        ),
      );
    for (const entry of this.filters.values()) entry.subscribingOn = 0;
    const error = this.lastError ?? this.silentCloseError(wasConnected);
    if (this.lastError || !wasConnected) this.kicks = 0;
    const kicked = this.kicks > 0;
    this.emit(
      wasConnected
        ? { type: 'disconnected', error }
        : { type: 'connect-failed', attempt: this.attempt, error },
    );
    this.wakeDrainWaiters();
    if (this.closing || this.closed) return;
    // Only the broker's own word (reason code 0x8E) stops us; the heuristic above could also be a
    // flapping broker, so it is reported and backed off from, not obeyed.
    if (
      error.code === 'SESSION_TAKEN_OVER' &&
      error.reasonCode === 0x8e &&
      this.opts.reconnect.onSessionTakenOver === 'stop'
    ) {
      this.finish(error);
      return;
    }
    if (this.opts.reconnect.giveUpOn.includes(error.code)) {
      this.finish(error);
      return;
    }
    // A connection that carried traffic was progress, however short: a link that drops every few
    // seconds is retried promptly instead of backing off toward maxDelayMs (stableAfterMs is never
    // reached there). A broker that accepts and drops at once, silent or kicking, still backs off.
    if (wasConnected && this.carriedTraffic && !kicked) {
      this.failures = 0;
      this.attempt = 0;
    }
    this.failures++;
    this.attempt++;
    const delay = backoffDelay(this.failures, this.opts.reconnect, this.opts.random);
    this.setState({
      status: 'reconnecting',
      attempt: this.attempt,
      nextRetryAt: new Date(this.opts.clock.now() + delay),
      lastError: error,
    });
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closing && !this.closed) this.connect();
    }, delay);
  }

  /**
   * Why a connection ended when nobody said why (no socket error, no DISCONNECT: a clean close).
   *
   * MQTT 3.1.1 has no way to say "session taken over", and Mosquitto 2.0.11 does not send MQTT 5's
   * DISCONNECT 0x8E either: it just closes the older connection of a client id. What a takeover
   * battle produces and a flapping network does not is the pattern: accepted with our session
   * present, then closed cleanly within {@link KICK_WINDOW_MS} of CONNACK — when the other client's
   * retry lands — {@link KICKS_FOR_TAKEOVER} times in a row. A failing link closes with errors
   * (reset, keepalive timeout), fails attempts (refused, timeout; those reset the count) or cuts
   * connections at its own pace (a proxy or firewall with a connection age limit: seconds to hours,
   * not "right after every CONNACK"). Still only a suspicion: reported, backed off from, never
   * obeyed (only 0x8E stops the client).
   */
  private silentCloseError(wasConnected: boolean): MqttClientError {
    const url = this.opts.redactedUrl;
    if (!wasConnected)
      return new MqttClientError(
        'NETWORK_ERROR',
        `Connection to ${url} closed before the broker answered CONNECT`,
      );
    const window = Math.min(KICK_WINDOW_MS, this.opts.reconnect.stableAfterMs);
    const lifetime = this.opts.clock.now() - this.connectedAt;
    this.kicks = lifetime < window && this.sessionPresent ? this.kicks + 1 : 0;
    if (this.kicks >= KICKS_FOR_TAKEOVER)
      return new MqttClientError(
        'SESSION_TAKEN_OVER',
        `Broker ${url} closed the connection within ${window} ms of accepting it ${this.kicks} times in a row, each time with the session present: another client is probably using client id ${JSON.stringify(this.opts.clientId)} (session takeover)`,
      );
    return new MqttClientError(
      'CONNECTION_LOST',
      `Connection to ${url} closed by the broker or the network`,
    );
  }

  /** Silences an mqtt.js client we are done with and makes sure its socket is gone. */
  private discard(client: MqttJsClient): void {
    client.removeAllListeners();
    // mqtt.js emits 'error' on its EventEmitter: without a listener Node would throw.
    client.on('error', noop);
    client.end(true);
  }

  // ---------------------------------------------------------------- subscriptions

  observe(filter: string, options: ObserveOptions = {}): Observable<MqttMessage> {
    return new Observable<MqttMessage>((subscriber) => {
      try {
        assertValidFilter(filter);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      const qos = options.qos ?? 0;
      if (qos !== 0 && qos !== 1) {
        subscriber.error(
          new MqttClientError('INVALID_OPTIONS', `observe: qos must be 0 or 1, got ${String(qos)}`),
        );
        return;
      }
      if (this.closing || this.closed) {
        subscriber.error(new MqttClientError('CLOSED', `observe(${filter}): the client is closed`));
        return;
      }
      let entry = this.filters.get(filter);
      let needsSubscribe = false;
      if (!entry) {
        entry = {
          filter,
          compiled: compileFilter(matchingPart(filter)),
          qos,
          observers: [],
          acked: false,
          subscribingOn: 0,
          sent: false,
        };
        this.filters.set(filter, entry);
        this.routes = [...this.routes, entry];
        this.pendingUnsubscribes.delete(filter);
        needsSubscribe = true;
      } else if (qos > entry.qos) {
        // One subscription per filter at the highest QoS asked for: SUBSCRIBE again to upgrade.
        entry.qos = qos;
        entry.acked = false;
        needsSubscribe = true;
      }
      entry.observers = [...entry.observers, subscriber];
      if (needsSubscribe && this.connectedOn !== 0) this.sendSubscribe([entry]);
      const own = entry;
      return () => {
        own.observers = own.observers.filter((o) => o !== subscriber);
        if (own.observers.length === 0 && this.filters.get(filter) === own) {
          this.removeFilter(own);
          this.dropSubscription(own);
        }
      };
    });
  }

  private sendSubscribe(entries: FilterEntry[]): void {
    const client = this.conn;
    const gen = this.connectedOn;
    if (!client || gen === 0) return;
    for (const qos of [0, 1] as const) {
      const group = entries.filter((e) => e.qos === qos);
      if (group.length === 0) continue;
      for (const e of group) {
        e.subscribingOn = gen;
        e.sent = true;
      }
      // Array form keeps the order of granted codes = order of filters (an object map would
      // reorder numeric-looking keys).
      client.subscribe(
        group.map((e) => e.filter),
        { qos },
        (error, _granted, packet) => {
          if (gen !== this.connectedOn) return; // connection gone: resubscribed on the next one
          const codes =
            packet?.granted ??
            (error as { packet?: { granted?: Array<number | object> } } | null)?.packet?.granted;
          group.forEach((entry, i) => {
            if (entry.subscribingOn !== gen) return;
            entry.subscribingOn = 0;
            const code = codes?.[i];
            if (typeof code === 'number' && code >= 0x80) {
              this.failSubscription(entry, code);
            } else if (codes) {
              entry.acked = true;
            }
          });
        },
      );
    }
  }

  private failSubscription(entry: FilterEntry, code: number): void {
    const error = new MqttClientError(
      'SUBSCRIBE_REJECTED',
      `Broker ${this.opts.redactedUrl} refused the subscription to ${JSON.stringify(entry.filter)}: ${describeReasonCode(code, this.opts.protocolVersion === 5 ? 5 : 4)}`,
      code,
    );
    if (this.filters.get(entry.filter) === entry) this.removeFilter(entry);
    this.emit({ type: 'subscribe-failed', filter: entry.filter, error });
    const observers = entry.observers;
    entry.observers = [];
    for (const observer of observers) observer.error(error);
  }

  private removeFilter(entry: FilterEntry): void {
    this.filters.delete(entry.filter);
    this.routes = this.routes.filter((e) => e !== entry);
  }

  private dropSubscription(entry: FilterEntry): void {
    if (this.closing || this.closed) return;
    if (this.connectedOn !== 0 && this.conn) {
      if (entry.acked || entry.subscribingOn === this.connectedOn)
        this.conn.unsubscribe(entry.filter, noop);
    } else if (!this.opts.clean && (entry.acked || entry.sent)) {
      // Offline: a persistent session on the broker may still hold it (even unacknowledged, the
      // SUBSCRIBE may have arrived): withdraw it after reconnecting if the session survived.
      this.pendingUnsubscribes.add(entry.filter);
    }
  }

  private onMessage(topic: string, payload: Uint8Array, packet: IPublishPacket): void {
    this.counters.received++;
    // Hot path (every message): one object of a fixed shape, no spreads, no per-message copies.
    const properties = packet.properties;
    const message: MqttMessage =
      properties === undefined
        ? { topic, payload, qos: packet.qos, retain: packet.retain, dup: packet.dup }
        : { topic, payload, qos: packet.qos, retain: packet.retain, dup: packet.dup, properties };
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const entry = routes[i]!;
      if (!matchesCompiled(entry.compiled, topic)) continue;
      const observers = entry.observers;
      for (let j = 0; j < observers.length; j++) observers[j]!.next(message);
    }
  }

  // ---------------------------------------------------------------- publishing

  publish(
    topic: string,
    payload: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<void> {
    try {
      assertValidTopic(topic);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const qos = options.qos ?? 0;
    if (qos !== 0 && qos !== 1)
      return Promise.reject(
        new MqttClientError('INVALID_OPTIONS', `publish: qos must be 0 or 1, got ${String(qos)}`),
      );
    if (typeof payload !== 'string' && !(payload instanceof Uint8Array))
      return Promise.reject(
        new MqttClientError(
          'INVALID_PAYLOAD',
          `publish(${topic}): payload must be a string or a Uint8Array, got ${payload === null ? 'null' : typeof payload}`,
        ),
      );
    if (this.closing || this.closed)
      return Promise.reject(
        new MqttClientError('CLOSED', `publish(${topic}): the client is closed`),
      );
    const bytes =
      utf8Length(topic) + (typeof payload === 'string' ? utf8Length(payload) : payload.byteLength);
    return new Promise<void>((resolve, reject) => {
      const entry: OutboxEntry = {
        topic,
        payload,
        qos,
        retain: options.retain ?? false,
        properties: options.properties,
        bytes,
        resolve,
        reject,
        sentOn: 0,
        inFlight: false,
        settled: false,
      };
      if (!this.admit(entry)) return;
      this.outbox.push(entry);
      this.pump();
    });
  }

  /** Applies the outbox bounds; false when the new entry was rejected. */
  private admit(entry: OutboxEntry): boolean {
    const { maxMessages, maxBytes, overflow } = this.opts;
    if (entry.bytes > maxBytes) {
      this.drop(
        entry,
        'reject-new',
        new MqttClientError(
          'OUTBOX_FULL',
          `publish(${entry.topic}): ${entry.bytes} bytes exceed outbox.maxBytes (${maxBytes})`,
        ),
      );
      return false;
    }
    while (this.outbox.depth + 1 > maxMessages || this.outbox.bytes + entry.bytes > maxBytes) {
      if (overflow === 'reject-new') {
        this.drop(
          entry,
          'reject-new',
          new MqttClientError(
            'OUTBOX_FULL',
            `publish(${entry.topic}): outbox full (${this.outbox.depth} messages, ${this.outbox.bytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes)`,
          ),
        );
        return false;
      }
      const oldest = this.outbox.evictOldest();
      if (!oldest) {
        // Everything held is on the wire awaiting PUBACK: those are not ours to drop any more.
        this.drop(
          entry,
          'reject-new',
          new MqttClientError(
            'OUTBOX_FULL',
            `publish(${entry.topic}): outbox full of messages awaiting acknowledgement (${this.outbox.inFlight} in flight, ${this.outbox.bytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes)`,
          ),
        );
        return false;
      }
      this.drop(
        oldest,
        'drop-oldest',
        new MqttClientError(
          'DROPPED',
          `publish(${oldest.topic}): dropped from the full outbox to make room for newer messages`,
        ),
      );
    }
    return this.admitToBudget(entry);
  }

  /** The shared budget's bound, applied across every client sharing it. */
  private admitToBudget(entry: OutboxEntry): boolean {
    const budget = this.opts.budget;
    if (!budget) return true;
    const cost = budget.cost(entry);
    const full = (why: string) => {
      this.drop(
        entry,
        'reject-new',
        new MqttClientError(
          'OUTBOX_FULL',
          `publish(${entry.topic}): ${why} (${budget.messages} messages, ${budget.bytes} bytes held by the clients sharing it; limit ${budget.maxBytes} bytes)`,
        ),
      );
      return false;
    };
    if (cost > budget.maxBytes) return full(`${cost} bytes exceed the shared outbox budget`);
    while (budget.bytes + cost > budget.maxBytes) {
      if (this.opts.overflow === 'reject-new') return full('the shared outbox budget is full');
      const owner = budget.oldestQueuedOwner();
      if (!owner?.evictOldestForBudget())
        return full('the shared outbox budget is full of messages awaiting acknowledgement');
    }
    return true;
  }

  /** {@link BudgetMember}: gives up this client's oldest queued message for another's newer one. */
  evictOldestForBudget(): boolean {
    const oldest = this.outbox.evictOldest();
    if (!oldest) return false;
    this.drop(
      oldest,
      'drop-oldest',
      new MqttClientError(
        'DROPPED',
        `publish(${oldest.topic}): dropped from the outbox to keep the shared outbox budget for newer messages`,
      ),
    );
    return true;
  }

  private drop(entry: OutboxEntry, reason: DropReason, error: MqttClientError): void {
    if (entry.settled) return;
    entry.settled = true;
    this.counters.dropped++;
    this.emit({
      type: 'dropped',
      topic: entry.topic,
      qos: entry.qos,
      reason,
      totalDropped: this.counters.dropped,
    });
    entry.reject(error);
  }

  /** True while {@link pump} runs (mqtt.js completes a QoS 0 write synchronously). */
  private pumping = false;

  /** The socket corked until the end of this turn's ticks, if any. */
  private corked: SocketLike | undefined;

  /**
   * With Nagle off, every write would be its own TCP segment, and mqtt.js handles incoming packets
   * one per `process.nextTick`, so publishes made in reaction to a burst of messages (or PUBACKs)
   * would each cost a syscall and a packet. Corking the socket until the microtask queue runs —
   * after every tick of the current turn, microseconds later — sends them in one `writev`: the
   * batching of Nagle without its wait for an ACK. A promise (not `setImmediate`/`queueMicrotask`)
   * so fake timers in a test cannot leave the socket corked.
   */
  private corkUntilTicksDone(client: MqttJsClient): void {
    if (this.corked) return;
    const socket = client.stream as SocketLike | undefined;
    if (typeof socket?.setNoDelay !== 'function' || typeof socket.cork !== 'function') return;
    socket.cork();
    this.corked = socket;
    void Promise.resolve().then(() => {
      this.corked = undefined;
      socket.uncork?.();
    });
  }

  private pump(): void {
    const client = this.conn;
    const gen = this.connectedOn;
    if (!client || gen === 0 || this.pumping) return;
    if (this.outbox.queued === 0) return;
    this.corkUntilTicksDone(client);
    this.pumping = true;
    try {
      this.pumpOn(client, gen);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * mqtt.js calls a QoS 0 publish back synchronously when the socket took the bytes; without the
   * `pumping` guard each such completion would start a nested pump (one stack level per message).
   * The loop instead sees the freed slot itself, and stops if the connection went away meanwhile
   * (what it took would otherwise sit "in flight" on a dead connection).
   */
  private pumpOn(client: MqttJsClient, gen: number): void {
    const window = Math.min(this.opts.maxInFlight, this.receiveMaximum);
    const v5 = this.opts.protocolVersion === 5;
    while (this.connectedOn === gen && this.outbox.inFlight < window) {
      const entry = this.outbox.takeNext();
      if (!entry) break;
      // DUP only on a QoS 1 retransmission the broker may have seen (MQTT-3.3.1-1, -2): QoS 0 is
      // never re-sent, and after a lost session the message is new to the broker.
      const dup = entry.qos === 1 && entry.sentOn !== 0 && this.sessionPresent;
      entry.sentOn = gen;
      this.counters.sent++;
      const properties = v5 ? entry.properties : undefined;
      client.publish(
        entry.topic,
        toWire(entry.payload) as Buffer,
        properties === undefined
          ? { qos: entry.qos, retain: entry.retain, dup }
          : {
              qos: entry.qos,
              retain: entry.retain,
              dup,
              properties: properties as NonNullable<IPublishPacket['properties']>,
            },
        (error) => this.onPublished(entry, gen, error),
      );
    }
  }

  private onPublished(entry: OutboxEntry, gen: number, error: Error | undefined): void {
    // Stale callbacks (an older connection, or an entry already re-sent/evicted) are ignored:
    // our outbox, not mqtt.js, decides what happens to the message.
    if (entry.settled || entry.sentOn !== gen || gen !== this.connectedOn) return;
    if (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'number' && /connection closed|disconnecting/i.test(error.message))
        return; // the 'close' handler re-queues it
      if (!this.outbox.complete(entry)) return;
      this.drop(
        entry,
        'rejected-by-broker',
        typeof code === 'number'
          ? new MqttClientError(
              'PUBLISH_REJECTED',
              `Broker ${this.opts.redactedUrl} refused the message to ${JSON.stringify(entry.topic)}: ${describeReasonCode(code, 5)}`,
              code,
            )
          : new MqttClientError(
              'PUBLISH_FAILED',
              `publish(${entry.topic}) failed: ${this.wrapError(error).message}`,
            ),
      );
    } else {
      if (!this.outbox.complete(entry)) return;
      entry.settled = true;
      this.counters.acknowledged++;
      entry.resolve();
    }
    this.pump();
    if (this.outbox.depth === 0) this.wakeDrainWaiters();
  }

  // ---------------------------------------------------------------- stats, close

  stats(): MqttClientStats {
    return {
      ...this.counters,
      outboxDepth: this.outbox.depth,
      outboxBytes: this.outbox.bytes,
      inFlight: this.outbox.inFlight,
    };
  }

  close(options: CloseOptions = {}): Promise<void> {
    if (this.closePromise) return this.closePromise;
    const timeoutMs = options.timeoutMs ?? 5_000;
    this.closing = true;
    if (this.retryTimer !== undefined) {
      this.opts.clock.clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    this.closePromise = (async () => {
      if (this.connectedOn !== 0 && this.outbox.depth > 0) await this.waitDrained(timeoutMs);
      const client = this.conn;
      const wasConnected = this.connectedOn !== 0;
      this.conn = undefined;
      this.connectedOn = 0;
      this.generation++;
      if (client) {
        if (wasConnected) await this.disconnectGracefully(client);
        else this.discard(client);
      }
      if (!this.closed) this.finish('user');
    })();
    return this.closePromise;
  }

  private waitDrained(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.opts.clock.clearTimeout(timer);
        this.drainWaiters = this.drainWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = this.opts.clock.setTimeout(done, timeoutMs);
      this.drainWaiters.push(done);
    });
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Sends DISCONNECT so the broker does not publish the last will. mqtt.js's `end(false)` would wait
   * forever for acknowledgements still pending, so those are withdrawn first (they are ours to
   * reject) and a forced end backs it up.
   */
  private disconnectGracefully(client: MqttJsClient): Promise<void> {
    client.removeAllListeners();
    client.on('error', noop);
    for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
    return new Promise<void>((resolve) => {
      const timer = globalThis.setTimeout(() => {
        client.end(true);
        resolve();
      }, 2_000);
      client.end(false, {}, () => {
        globalThis.clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Final state: rejects what is left, completes every stream. */
  private finish(reason: 'user' | MqttClientError): void {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    if (this.retryTimer !== undefined) this.opts.clock.clearTimeout(this.retryTimer);
    if (this.stableTimer !== undefined) this.opts.clock.clearTimeout(this.stableTimer);
    this.retryTimer = this.stableTimer = undefined;
    const closedError =
      reason === 'user'
        ? new MqttClientError(
            'CLOSED',
            'The client was closed before the broker acknowledged the message',
          )
        : new MqttClientError('CLOSED', `The client stopped: ${reason.message}`, reason.reasonCode);
    for (const entry of this.outbox.drain()) this.drop(entry, 'closed', closedError);
    this.wakeDrainWaiters();
    this.setState({ status: 'closed', reason });
    const entries = this.routes;
    this.filters.clear();
    this.routes = [];
    for (const entry of entries) for (const observer of entry.observers) observer.complete();
    this.stateSubject.complete();
    this.eventsSubject.complete();
  }

  private setState(next: ConnectionState): void {
    const current = this.currentState;
    if (
      current.status === next.status &&
      next.status === 'connecting' &&
      current.status === 'connecting' &&
      current.attempt === next.attempt
    )
      return;
    if (current.status === 'closed') return;
    this.currentState = next;
    this.stateSubject.next(next);
  }

  private emit(event: ClientEvent): void {
    if (!this.eventsSubject.closed) this.eventsSubject.next(event);
  }
}
