/**
 * Holds the PUBACKs of one MQTT connection until each message is handled, and sends them in the
 * order the PUBLISHes arrived (MQTT 3.1.1 §4.6 [MQTT-4.6.0-2], MQTT 5 §4.6): a message handled early
 * (an invalid one, acknowledged at once) waits for the scans received before it.
 *
 * Why it exists: mqtt.js acknowledges a QoS 1 message when `handleMessage`'s callback runs and parses
 * the next one only then, so a connection could hold a single unacknowledged scan and every commit
 * held at most one scan per connection. With the PUBACK taken out of that callback, a connection
 * holds as many as the broker's in-flight window (MQTT 5 receive maximum) allows, and one commit
 * covers all of them.
 *
 * It also bounds what a connection holds: at `limit` unacknowledged messages it stops mqtt.js from
 * reading on until one is acknowledged — measured: Mosquitto 2.0 sends far beyond an MQTT 5 client's
 * receive maximum, so the broker's flow control alone does not bound the gateway's memory.
 *
 * A connection that drops forgets what it held: those messages are not acknowledged on the next
 * connection but redelivered by the broker (same session) and recognised as already stored.
 */
export class PubackSequencer {
  readonly #send: (messageId: number) => void;
  readonly #limit: number;
  #pending: Array<{ readonly messageId: number; handled: boolean }> = [];
  #generation = 0;
  #paused: (() => void) | undefined;

  /** `send` writes one PUBACK on the current connection; at most `limit` messages are held. */
  constructor(send: (messageId: number) => void, limit: number) {
    this.#send = send;
    this.#limit = limit;
  }

  /** Messages received and not yet acknowledged. */
  get held(): number {
    return this.#pending.length;
  }

  /**
   * Registers a received QoS 1 PUBLISH. `next` (what lets mqtt.js read the next message) runs now,
   * or once fewer than `limit` messages are held. Call the returned function once it is handled.
   */
  receive(messageId: number, next: () => void): () => void {
    const entry = { messageId, handled: false };
    const generation = this.#generation;
    this.#pending.push(entry);
    if (this.#pending.length < this.#limit) next();
    else this.#paused = next;
    return () => {
      if (generation !== this.#generation) return; // received on a connection that is gone
      entry.handled = true;
      while (this.#pending[0]?.handled) this.#send(this.#pending.shift()!.messageId);
      if (this.#pending.length < this.#limit) this.#resume();
    };
  }

  /** The connection is gone: nothing it held is acknowledged later; the broker redelivers it. */
  reset(): void {
    this.#generation++;
    this.#pending = [];
    this.#resume();
  }

  #resume(): void {
    const next = this.#paused;
    this.#paused = undefined;
    next?.();
  }
}
