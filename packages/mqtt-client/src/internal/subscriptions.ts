import type { IPublishPacket } from 'mqtt';
import { Observable, type Subscriber } from 'rxjs';
import { MqttClientError } from '../mqtt-client-error.js';
import type { MqttMessage, ObserveOptions } from '../mqtt-client.js';
import { assertValidFilter, matchingPart } from '../topic-filter.js';
import { compileFilter, matchesCompiled, type CompiledFilter } from './compiled-filter.js';
import { noop, type ConnectionHost } from './link.js';
import { describeReasonCode } from './reason-codes.js';

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

/**
 * The client's subscriptions: one broker subscription per filter however many observe it, restored
 * when the broker lost the session, withdrawn after the last observer leaves (also while offline,
 * from a persistent session), and the routing of incoming messages to the observers.
 */
export class Subscriptions {
  private readonly filters = new Map<string, FilterEntry>();
  /** The values of `filters` in order, copy-on-write like `FilterEntry.observers` (hot path). */
  private routes: readonly FilterEntry[] = [];
  /** Filters given up while offline that the broker may still hold in a persistent session. */
  private readonly pendingUnsubscribes = new Set<string>();
  /** PUBLISH packets received. */
  received = 0;

  constructor(
    private readonly host: ConnectionHost,
    private readonly clean: boolean,
    private readonly protocolVersion: 4 | 5,
  ) {}

  observe(filter: string, options: ObserveOptions): Observable<MqttMessage> {
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
      if (this.host.ended) {
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
      if (needsSubscribe && this.host.live()) this.sendSubscribe([entry]);
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

  /**
   * A connection was accepted; call before announcing it. Returns the filters the broker held
   * before, and forgets them as held when it lost the session.
   */
  beforeConnected(sessionPresent: boolean): string[] {
    const previouslyAcked: string[] = [];
    for (const entry of this.filters.values()) if (entry.acked) previouslyAcked.push(entry.filter);
    if (!sessionPresent) {
      for (const entry of this.filters.values()) entry.acked = false;
      this.pendingUnsubscribes.clear();
    }
    return previouslyAcked;
  }

  /**
   * After announcing the connection: withdraws what was given up offline (if the session kept
   * it), subscribes what the broker does not hold, and says so once when it had lost them.
   */
  afterConnected(sessionPresent: boolean, reconnect: boolean, previouslyAcked: string[]): void {
    const link = this.host.live();
    if (sessionPresent && this.pendingUnsubscribes.size > 0) {
      link?.client.unsubscribe([...this.pendingUnsubscribes], noop);
      this.pendingUnsubscribes.clear();
    }
    const toSubscribe = [...this.filters.values()].filter((e) => !e.acked);
    if (toSubscribe.length > 0) this.sendSubscribe(toSubscribe);
    if (!sessionPresent && reconnect && previouslyAcked.length > 0)
      this.host.emit({ type: 'resubscribed', filters: previouslyAcked });
  }

  /** The connection is gone: outstanding SUBSCRIBEs are sent again on the next one. */
  onConnectionLost(): void {
    for (const entry of this.filters.values()) entry.subscribingOn = 0;
  }

  /** Delivers an incoming message to the observers of every matching filter. */
  route(topic: string, payload: Uint8Array, packet: IPublishPacket): void {
    this.received++;
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

  /** The client stopped: every observer completes. */
  completeAll(): void {
    const entries = this.routes;
    this.filters.clear();
    this.routes = [];
    for (const entry of entries) for (const observer of entry.observers) observer.complete();
  }

  private sendSubscribe(entries: FilterEntry[]): void {
    const link = this.host.live();
    if (!link) return;
    const { client, gen } = link;
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
          if (!this.host.isLive(gen)) return; // connection gone: resubscribed on the next one
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
      `Broker ${this.host.url} refused the subscription to ${JSON.stringify(entry.filter)}: ${describeReasonCode(code, this.protocolVersion === 5 ? 5 : 4)}`,
      code,
    );
    if (this.filters.get(entry.filter) === entry) this.removeFilter(entry);
    this.host.emit({ type: 'subscribe-failed', filter: entry.filter, error });
    const observers = entry.observers;
    entry.observers = [];
    for (const observer of observers) observer.error(error);
  }

  private removeFilter(entry: FilterEntry): void {
    this.filters.delete(entry.filter);
    this.routes = this.routes.filter((e) => e !== entry);
  }

  private dropSubscription(entry: FilterEntry): void {
    if (this.host.ended) return;
    const link = this.host.live();
    if (link) {
      if (entry.acked || entry.subscribingOn === link.gen)
        link.client.unsubscribe(entry.filter, noop);
    } else if (!this.clean && (entry.acked || entry.sent)) {
      // Offline: a persistent session on the broker may still hold it (even unacknowledged, the
      // SUBSCRIBE may have arrived): withdraw it after reconnecting if the session survived.
      this.pendingUnsubscribes.add(entry.filter);
    }
  }
}
