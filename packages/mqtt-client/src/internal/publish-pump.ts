import type { IPublishPacket, MqttClient as MqttJsClient } from 'mqtt';
import type { DropReason } from '../connection-state.js';
import { MqttClientError } from '../mqtt-client-error.js';
import type { PublishOptions } from '../mqtt-client.js';
import { assertValidTopic } from '../topic-filter.js';
import type { ConnectionHost } from './link.js';
import type { SocketLike } from './mqttjs-options.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { admit, evictedForBudget } from './outbox-admission.js';
import { describeReasonCode } from './reason-codes.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { BudgetMember } from './shared-budget.js';
import { toClientError } from './to-client-error.js';
import { isTransportError } from './transport-error.js';
import { toWire, utf8Length } from './wire.js';

/**
 * The publishing side: admits messages to the outbox (bounds, overflow, shared budget), writes them
 * in order within the in-flight window, settles them on PUBACK (QoS 1) or write (QoS 0), and puts
 * the unacknowledged ones back after a lost connection.
 */
export class PublishPump implements BudgetMember {
  readonly outbox: Outbox;
  /** PUBLISH packets written (retransmissions included). */
  sent = 0;
  /** Publishes completed. */
  acknowledged = 0;
  /** Messages that left the outbox without reaching the broker. */
  dropped = 0;
  /** The broker's Receive Maximum on the live connection (MQTT 5; 65,535 otherwise). */
  receiveMaximum = 65_535;
  private drainWaiters: Array<() => void> = [];
  /** True while {@link pump} runs (mqtt.js completes a QoS 0 write synchronously). */
  private pumping = false;
  /** The socket corked until the end of this turn's ticks, if any. */
  private corked: SocketLike | undefined;

  constructor(
    private readonly host: ConnectionHost,
    private readonly opts: ResolvedOptions,
  ) {
    const budget = opts.budget;
    this.outbox = new Outbox(
      budget && {
        charge: (entry) => budget.charge(entry, this),
        release: (entry) => budget.release(entry),
      },
    );
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): Promise<void> {
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
    if (this.host.ended)
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
      if (!admit(entry, this.outbox, this.opts, this.drop)) return;
      this.outbox.push(entry);
      this.pump();
    });
  }

  /** {@link BudgetMember}: gives up this client's oldest queued message for another's newer one. */
  evictOldestForBudget(): boolean {
    const oldest = this.outbox.evictOldest();
    if (!oldest) return false;
    this.drop(oldest, 'drop-oldest', evictedForBudget(oldest));
    return true;
  }

  readonly drop = (entry: OutboxEntry, reason: DropReason, error: MqttClientError): void => {
    if (entry.settled) return;
    entry.settled = true;
    this.dropped++;
    this.host.emit({
      type: 'dropped',
      topic: entry.topic,
      qos: entry.qos,
      reason,
      totalDropped: this.dropped,
    });
    entry.reject(error);
  };

  /** Writes what is queued, as far as the window allows, on the live connection. */
  pump(): void {
    const link = this.host.live();
    if (!link || this.pumping) return;
    if (this.outbox.queued === 0) return;
    this.corkUntilTicksDone(link.client);
    this.pumping = true;
    try {
      this.pumpOn(link.client, link.gen);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * The connection is gone. In-flight QoS 1 is kept by us, not by mqtt.js's store: it goes back to
   * the front of the outbox and is written again on the next connection (mqtt.js would drop it on
   * reconnect()). QoS 0 cut off on its way out is lost, and said so: at most once means never twice.
   * Returns how many go out again.
   */
  onConnectionLost(): number {
    const { requeued, cutOff } = this.outbox.requeueInFlight();
    for (const entry of cutOff)
      this.drop(
        entry,
        'connection-lost',
        new MqttClientError(
          'DROPPED',
          `publish(${entry.topic}): the connection was lost while this QoS 0 message was being written; QoS 0 is never sent twice`,
        ),
      );
    this.wakeDrainWaiters();
    return requeued;
  }

  /** The client stopped: whatever is held is rejected with `error`. */
  settleAll(error: MqttClientError): void {
    for (const entry of this.outbox.drain()) this.drop(entry, 'closed', error);
    this.wakeDrainWaiters();
  }

  /** Resolves when the outbox is empty, the connection is lost, or after `timeoutMs`. */
  waitDrained(timeoutMs: number): Promise<void> {
    const clock = this.opts.clock;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clock.clearTimeout(timer);
        this.drainWaiters = this.drainWaiters.filter((w) => w !== done);
        resolve();
      };
      const timer = clock.setTimeout(done, timeoutMs);
      this.drainWaiters.push(done);
    });
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * With Nagle off, every write would be its own TCP segment, and mqtt.js handles incoming packets
   * one per `process.nextTick`, so publishes made in reaction to a burst of messages (or PUBACKs)
   * would each cost a syscall and a packet. Corking the socket until the microtask queue runs —
   * after every tick of the current turn, microseconds later — sends them in one `writev`: the
   * batching of Nagle without its wait for an ACK. A promise (not `setImmediate`/`queueMicrotask`)
   * so fake timers in a test cannot leave the socket corked. The client calls it too when a QoS 1
   * message arrives, for the PUBACK mqtt.js is about to write.
   */
  corkUntilTicksDone(client: MqttJsClient): void {
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

  /**
   * mqtt.js calls a QoS 0 publish back synchronously when the socket took the bytes; without the
   * `pumping` guard each such completion would start a nested pump (one stack level per message).
   * The loop instead sees the freed slot itself, and stops if the connection went away meanwhile
   * (what it took would otherwise sit "in flight" on a dead connection).
   */
  private pumpOn(client: MqttJsClient, gen: number): void {
    const window = Math.min(this.opts.maxInFlight, this.receiveMaximum);
    const v5 = this.opts.protocolVersion === 5;
    while (this.host.isLive(gen) && this.outbox.inFlight < window) {
      const entry = this.outbox.takeNext();
      if (!entry) break;
      // DUP only on a QoS 1 retransmission the broker may have seen (MQTT-3.3.1-1, -2): QoS 0 is
      // never re-sent, and after a lost session the message is new to the broker.
      const dup = entry.qos === 1 && entry.sentOn !== 0 && this.host.sessionPresent;
      entry.sentOn = gen;
      this.sent++;
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
    if (entry.settled || entry.sentOn !== gen || !this.host.isLive(gen)) return;
    if (error) {
      // Failed on the transport, not refused: it stays in flight, and the lost connection (whose
      // 'close' follows) puts it back in front to be written again. Dropping it here lost a QoS 1
      // message on every reconnect() with messages in flight ('Message removed').
      if (isTransportError(error)) return;
      const code = (error as { code?: unknown }).code;
      if (!this.outbox.complete(entry)) return;
      this.drop(
        entry,
        'rejected-by-broker',
        typeof code === 'number'
          ? new MqttClientError(
              'PUBLISH_REJECTED',
              `Broker ${this.host.url} refused the message to ${JSON.stringify(entry.topic)}: ${describeReasonCode(code, 5)}`,
              code,
            )
          : new MqttClientError(
              'PUBLISH_FAILED',
              `publish(${entry.topic}) failed: ${toClientError(error, { url: this.host.url, protocolVersion: this.opts.protocolVersion, ...(this.opts.password === undefined ? {} : { password: this.opts.password }) }).message}`,
            ),
      );
    } else {
      if (!this.outbox.complete(entry)) return;
      entry.settled = true;
      this.acknowledged++;
      entry.resolve();
    }
    this.pump();
    if (this.outbox.depth === 0) this.wakeDrainWaiters();
  }
}
