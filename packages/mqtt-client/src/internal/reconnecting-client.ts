// Over 400 lines on purpose: connect, onConnect, onClose and close are one state machine over the
// same generation/connection fields; its other rooms (pump, subscriptions, takeover) are split out.
// The default import, not `{ connect }`: mqtt.js's browser build (dist/mqtt.esm.js, picked by
// bundlers through the `browser` export condition) has only a default export.
import mqtt from 'mqtt';
import type {
  IConnackPacket,
  IDisconnectPacket,
  IPublishPacket,
  MqttClient as MqttJsClient,
  Packet,
} from 'mqtt';
import { ReplaySubject, Subject, type Observable } from 'rxjs';
import { backoffDelay } from '../backoff.js';
import type { ClientEvent, ConnectionState } from '../connection-state.js';
import { MqttClientError } from '../mqtt-client-error.js';
import type { CloseOptions, MqttClient, ObserveOptions, PublishOptions } from '../mqtt-client.js';
import { noop, type ConnectionHost, type Link } from './link.js';
import { setNoDelay, toMqttJsOptions } from './mqttjs-options.js';
import { PublishPump } from './publish-pump.js';
import type { BrokerNode, ResolvedOptions } from './resolve-options.js';
import { Subscriptions } from './subscriptions.js';
import { TakeoverDetector } from './takeover-detector.js';
import { toClientError } from './to-client-error.js';
import { waitForState } from './wait-for-state.js';

/** Longest pause between reconnect attempts while close({ awaitBroker }) waits. */
const AWAIT_BROKER_RETRY_MS = 500;

/**
 * The client behind {@link createMqttClient}: the connection loop. One mqtt.js client per
 * connection attempt, with mqtt.js's own reconnect, resubscribe and offline queue switched off;
 * the rooms it drives do those: {@link Subscriptions}, {@link PublishPump}, {@link TakeoverDetector}.
 */
export class ReconnectingClient implements MqttClient, ConnectionHost {
  readonly clientId: string;
  readonly state$: Observable<ConnectionState>;
  readonly events$: Observable<ClientEvent>;

  // ReplaySubject(1) rather than BehaviorSubject: a late subscriber still gets 'closed' after the
  // stream has completed.
  private readonly stateSubject = new ReplaySubject<ConnectionState>(1);
  private currentState: ConnectionState = { status: 'connecting', attempt: 1 };
  private readonly eventsSubject = new Subject<ClientEvent>();
  private readonly subscriptions: Subscriptions;
  private readonly pump: PublishPump;
  private readonly takeover: TakeoverDetector;

  private conn: MqttJsClient | undefined;
  /** Incremented per attempt; callbacks of older mqtt.js clients compare and go quiet. */
  private generation = 0;
  /** Generation of the live connection, 0 while not connected. */
  private connectedOn = 0;
  private session = false;
  private lastError: MqttClientError | undefined;
  private attempt = 1;
  private failures = 0;
  private retryTimer: unknown;
  private connectTimer: unknown;
  /** Index of the broker in use or tried next in `opts.nodes`. */
  private nodeIndex = 0;
  private stableTimer: unknown;
  private everConnected = false;
  private hadSession = false;
  private reconnects = 0;
  private connectedAt = 0;
  /** The broker sent something after CONNACK on the current connection: the link worked. */
  private carriedTraffic = false;
  /** Unacknowledged messages put back in the outbox by the last lost connection. */
  private pendingResend = 0;
  private closing = false;
  /** The connection ends by reconnect(): the next one is tried at once, not after a backoff. */
  private deliberate = false;
  /** close({ awaitBroker }) is waiting for the broker to come back: keep reconnecting meanwhile. */
  private awaitingBroker = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(private readonly opts: ResolvedOptions) {
    this.clientId = opts.clientId;
    this.subscriptions = new Subscriptions(this, opts.clean, opts.protocolVersion);
    this.pump = new PublishPump(this, opts);
    this.takeover = new TakeoverDetector(opts.clientId, opts.reconnect.stableAfterMs);
    this.currentState = { status: 'connecting', attempt: 1, url: this.node.redactedUrl };
    this.stateSubject.next(this.currentState);
    this.state$ = this.stateSubject.asObservable();
    this.events$ = this.eventsSubject.asObservable();
    this.connect();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The broker in use or tried next (credentials removed). */
  get url(): string {
    return this.node.redactedUrl;
  }

  private get node(): BrokerNode {
    return this.opts.nodes[this.nodeIndex]!;
  }

  // ---------------------------------------------------------------- ConnectionHost

  live(): Link | undefined {
    const client = this.conn;
    return client && this.connectedOn !== 0 ? { client, gen: this.connectedOn } : undefined;
  }

  isLive(gen: number): boolean {
    return gen === this.connectedOn;
  }

  get ended(): boolean {
    return this.closing || this.closed;
  }

  get sessionPresent(): boolean {
    return this.session;
  }

  emit(event: ClientEvent): void {
    if (!this.eventsSubject.closed) this.eventsSubject.next(event);
  }

  // ---------------------------------------------------------------- the API

  // Return types come from the pump and the subscriptions; `implements MqttClient` checks them.
  observe(filter: string, options: ObserveOptions = {}) {
    return this.subscriptions.observe(filter, options);
  }

  publish(
    topic: string,
    payload: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<void> {
    return this.pump.publish(topic, payload, options);
  }

  stats() {
    const { outbox } = this.pump;
    return {
      sent: this.pump.sent,
      received: this.subscriptions.received,
      acknowledged: this.pump.acknowledged,
      dropped: this.pump.dropped,
      reconnects: this.reconnects,
      outboxDepth: outbox.depth,
      outboxBytes: outbox.bytes,
      inFlight: outbox.inFlight,
    };
  }

  close(options: CloseOptions = {}): Promise<void> {
    if (this.closePromise) return this.closePromise;
    const timeoutMs = options.timeoutMs ?? 5_000;
    const clock = this.opts.clock;
    const deadline = clock.now() + timeoutMs;
    this.closing = true;
    this.awaitingBroker = options.awaitBroker === true && this.pump.outbox.depth > 0;
    if (this.retryTimer !== undefined) {
      clock.clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      // The backoff may have grown far beyond the time left: try the broker now.
      if (this.awaitingBroker) this.connect();
    }
    this.closePromise = (async () => {
      // Without awaitBroker one bounded wait while connected; with it, as long as messages are held
      // and time is left, through reconnects (a drain ends early when the connection is lost).
      for (let left = timeoutMs; left > 0 && this.pump.outbox.depth > 0 && !this.closed;) {
        if (this.connectedOn !== 0) await this.pump.waitDrained(left);
        else if (this.awaitingBroker)
          await waitForState(this.state$, ['connected', 'closed'], left, clock);
        if (!this.awaitingBroker) break;
        left = deadline - clock.now();
      }
      this.awaitingBroker = false;
      if (this.retryTimer !== undefined) {
        clock.clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
      }
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

  async reconnect(): Promise<void> {
    const gen = this.connectedOn;
    const client = this.conn;
    if (gen === 0 || gen !== this.generation || client === undefined || this.ended) return;
    // Held back from the old connection meanwhile (live() needs conn), sent on the new one.
    this.conn = undefined;
    this.deliberate = true;
    this.lastError = new MqttClientError(
      'CONNECTION_LOST',
      `Connection to ${this.node.redactedUrl} ended by reconnect()`,
    );
    await this.disconnectGracefully(client);
    this.onClose(gen);
  }

  // ---------------------------------------------------------------- connection loop

  private connect(): void {
    const gen = ++this.generation;
    this.lastError = undefined;
    const node = this.node;
    this.setState({ status: 'connecting', attempt: this.attempt, url: node.redactedUrl });
    // Never a hang: an attempt that gets no CONNACK in time (a node that accepts TCP and stalls,
    // e.g. a cluster electing a leader) fails, and the loop goes on to the next broker.
    this.connectTimer = this.opts.clock.setTimeout(() => {
      this.connectTimer = undefined;
      if (gen !== this.generation || this.connectedOn === gen) return;
      this.lastError ??= new MqttClientError(
        'CONNECT_TIMEOUT',
        `No CONNACK from ${node.redactedUrl} within ${this.opts.connectTimeoutMs} ms`,
      );
      this.onClose(gen);
    }, this.opts.connectTimeoutMs);
    let client: MqttJsClient;
    try {
      client = mqtt.connect(node.url, toMqttJsOptions(this.opts, node));
    } catch (error) {
      this.lastError = this.wrapError(error);
      queueMicrotask(() => this.onClose(gen));
      return;
    }
    this.conn = client;
    // mqtt.js creates the socket synchronously and never sets TCP_NODELAY; set now, Node applies it
    // as soon as the socket is connected (TCP and TLS alike).
    if (this.opts.noDelay) setNoDelay(client.stream);
    client.on('error', (error) => {
      // The first error is the cause (later ones are usually EPIPE & co from the dying socket).
      if (gen === this.generation && !this.lastError) this.lastError = this.wrapError(error);
    });
    client.on('disconnect', (packet: IDisconnectPacket) => {
      if (gen === this.generation)
        this.lastError = this.takeover.serverDisconnect(packet, node.redactedUrl);
    });
    client.on('connect', (connack: IConnackPacket) => this.onConnect(gen, connack));
    client.on('packetreceive', (packet: Packet) => {
      if (gen === this.connectedOn && packet.cmd !== 'connack' && packet.cmd !== 'disconnect')
        this.carriedTraffic = true;
      // mqtt.js answers each QoS 1 PUBLISH with its own PUBACK write, one per tick: corked, the
      // PUBACKs for what arrived in one read leave in one writev (a queue replayed after a
      // reconnect spent 45 % of a viewer's CPU in one writev per PUBACK).
      if (packet.cmd === 'publish' && packet.qos > 0) this.pump.corkUntilTicksDone(client);
    });
    client.on('message', (topic: string, payload: Uint8Array, packet: IPublishPacket) => {
      if (gen === this.generation) this.subscriptions.route(topic, payload, packet);
    });
    client.on('close', () => this.onClose(gen));
  }

  private wrapError(error: unknown): MqttClientError {
    const node = this.node;
    return toClientError(error, {
      url: node.redactedUrl,
      protocolVersion: this.opts.protocolVersion,
      ...(node.password === undefined ? {} : { password: node.password }),
    });
  }

  private onConnect(gen: number, connack: IConnackPacket): void {
    if (gen !== this.generation || this.closed) return;
    const sessionPresent = connack.sessionPresent === true;
    this.clearConnectTimer();
    this.connectedOn = gen;
    this.connectedAt = this.opts.clock.now();
    this.carriedTraffic = false;
    this.session = sessionPresent;
    this.pump.receiveMaximum = connack.properties?.receiveMaximum ?? 65_535;
    if (this.everConnected) this.reconnects++;
    const lostSession = this.hadSession && !sessionPresent;
    this.hadSession = !this.opts.clean;
    this.stableTimer = this.opts.clock.setTimeout(() => {
      this.stableTimer = undefined;
      this.failures = 0;
      this.attempt = 0;
      this.takeover.reset();
    }, this.opts.reconnect.stableAfterMs);

    const previouslyAcked = this.subscriptions.beforeConnected(sessionPresent);
    const url = this.node.redactedUrl;
    this.setState({
      status: 'connected',
      sessionPresent,
      since: new Date(this.opts.clock.now()),
      url,
    });
    this.emit({ type: 'connected', sessionPresent, attempt: this.attempt, url });
    if (lostSession) this.emit({ type: 'session-lost' });
    this.subscriptions.afterConnected(sessionPresent, this.everConnected, previouslyAcked);
    this.everConnected = true;

    const resend = this.pendingResend;
    this.pendingResend = 0;
    if (resend > 0) this.emit({ type: 'republished', count: resend, sessionPresent });
    this.pump.pump();
  }

  private onClose(gen: number): void {
    if (gen !== this.generation) return;
    const deliberate = this.deliberate;
    this.deliberate = false;
    this.clearConnectTimer();
    const client = this.conn;
    this.conn = undefined;
    if (client) this.discard(client);
    const wasConnected = this.connectedOn === gen;
    this.connectedOn = 0;
    if (this.stableTimer !== undefined) {
      this.opts.clock.clearTimeout(this.stableTimer);
      this.stableTimer = undefined;
    }
    this.pendingResend += this.pump.onConnectionLost();
    this.subscriptions.onConnectionLost();
    const error = this.takeover.onClose({
      wasConnected,
      lifetimeMs: this.opts.clock.now() - this.connectedAt,
      sessionPresent: this.session,
      error: this.lastError,
      url: this.node.redactedUrl,
    });
    const url = this.node.redactedUrl;
    this.emit(
      wasConnected
        ? { type: 'disconnected', error, url }
        : { type: 'connect-failed', attempt: this.attempt, error, url },
    );
    if (this.closed || (this.closing && !this.awaitingBroker)) return;
    // Only the broker's own word (reason code 0x8E) stops us; the kick pattern could also be a
    // flapping broker, so it is reported and backed off from, not obeyed.
    if (
      error.code === 'SESSION_TAKEN_OVER' &&
      error.reasonCode === 0x8e &&
      this.opts.reconnect.onSessionTakenOver === 'stop'
    ) {
      this.finish(error);
      return;
    }
    if (!deliberate && this.opts.reconnect.giveUpOn.includes(error.code)) {
      this.finish(error);
      return;
    }
    // A connection that carried traffic was progress, however short: a link that drops every few
    // seconds is retried promptly instead of backing off toward maxDelayMs (stableAfterMs is never
    // reached there). A broker that accepts and drops at once, silent or kicking, still backs off.
    if (deliberate || (wasConnected && this.carriedTraffic && !this.takeover.kicked)) {
      this.failures = 0;
      this.attempt = 0;
    }
    this.failures++;
    this.attempt++;
    // With several brokers every failure moves on to the next; the delay grows once per round over
    // all of them, so a dead node costs one initial delay, not a doubling.
    const nodes = this.opts.nodes.length;
    this.nodeIndex = (this.nodeIndex + 1) % nodes;
    const round = Math.ceil(this.failures / nodes);
    const backoff = backoffDelay(round, this.opts.reconnect, this.opts.random);
    // Closing with awaitBroker: the broker has until the close timeout, so it is asked often.
    const delay = deliberate
      ? 0
      : this.awaitingBroker
        ? Math.min(backoff, AWAIT_BROKER_RETRY_MS)
        : backoff;
    this.setState({
      status: 'reconnecting',
      attempt: this.attempt,
      nextRetryAt: new Date(this.opts.clock.now() + delay),
      lastError: error,
      url: this.node.redactedUrl,
    });
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed && (!this.closing || this.awaitingBroker)) this.connect();
    }, delay);
  }

  /** Silences an mqtt.js client we are done with and makes sure its socket is gone. */
  private discard(client: MqttJsClient): void {
    client.removeAllListeners();
    // mqtt.js emits 'error' on its EventEmitter: without a listener Node would throw.
    client.on('error', noop);
    client.end(true);
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
    const clock = this.opts.clock;
    return new Promise<void>((resolve) => {
      const timer = clock.setTimeout(() => {
        client.end(true);
        resolve();
      }, 2_000);
      client.end(false, {}, () => {
        clock.clearTimeout(timer);
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
    this.clearConnectTimer();
    this.pump.settleAll(
      reason === 'user'
        ? new MqttClientError(
            'CLOSED',
            'The client was closed before the broker acknowledged the message',
          )
        : new MqttClientError('CLOSED', `The client stopped: ${reason.message}`, reason.reasonCode),
    );
    this.setState({ status: 'closed', reason });
    this.subscriptions.completeAll();
    this.stateSubject.complete();
    this.eventsSubject.complete();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer === undefined) return;
    this.opts.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
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
}
