import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry } from './outbox.js';

const entry = (n: number): OutboxEntry => ({
  topic: `t/${n}`,
  payload: String(n),
  qos: 1,
  retain: false,
  properties: undefined,
  bytes: 10,
  resolve: () => undefined,
  reject: () => undefined,
  sentOn: 0,
  inFlight: false,
  settled: false,
});

describe('outbox order', () => {
  it('after any mix of sends, acks (in or out of order) and lost connections, what is left goes out in publish order and the counts add up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('push', 'send', 'ack', 'lose'), { maxLength: 200 }),
        (ops) => {
          const box = new Outbox();
          const inflight: OutboxEntry[] = [];
          let n = 0;
          const acked = new Set<number>();
          for (const op of ops) {
            if (op === 'push') box.push(entry(n++));
            if (op === 'send') {
              const e = box.takeNext();
              if (e) inflight.push(e);
            }
            if (op === 'ack' && inflight.length > 0) {
              const e = inflight.splice(Math.floor(inflight.length / 2), 1)[0];
              if (e && box.complete(e)) acked.add(Number(e.payload));
            }
            if (op === 'lose') {
              box.requeueInFlight();
              inflight.length = 0;
            }
            // The counters stats() reports stay exact through every step.
            if (box.inFlight !== inflight.length || box.bytes !== 10 * box.depth) return false;
          }
          box.requeueInFlight();
          const rest: number[] = [];
          for (let e = box.takeNext(); e; e = box.takeNext()) rest.push(Number(e.payload));
          const expected = Array.from({ length: n }, (_, i) => i).filter((i) => !acked.has(i));
          return JSON.stringify(rest) === JSON.stringify(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('evicts the oldest message not yet sent, never one in flight, and keeps the byte count', () => {
    const box = new Outbox();
    [0, 1, 2].forEach((i) => box.push(entry(i)));
    box.takeNext();
    expect(box.evictOldest()?.payload).toBe('1');
    expect(box.evictOldest()?.payload).toBe('2');
    expect(box.evictOldest()).toBeUndefined();
    expect({ depth: box.depth, inFlight: box.inFlight, bytes: box.bytes }).toEqual({
      depth: 1,
      inFlight: 1,
      bytes: 10,
    });
    // After a lost connection the unacknowledged one is queued again, so evictable.
    box.requeueInFlight();
    expect(box.evictOldest()?.payload).toBe('0');
    expect({ depth: box.depth, bytes: box.bytes }).toEqual({ depth: 0, bytes: 0 });
  });

  it('after a lost connection QoS 1 in flight is queued again, QoS 0 in flight is handed back as cut off', () => {
    const box = new Outbox();
    const qos0 = (n: number): OutboxEntry => ({ ...entry(n), qos: 0 });
    [entry(0), qos0(1), entry(2), qos0(3)].forEach((e) => box.push(e));
    box.takeNext();
    box.takeNext();
    box.takeNext();
    const { requeued, cutOff } = box.requeueInFlight();
    expect(requeued).toBe(2);
    expect(cutOff.map((e) => e.payload)).toEqual(['1']);
    const rest: string[] = [];
    for (let e = box.takeNext(); e; e = box.takeNext()) rest.push(String(e.payload));
    expect(rest).toEqual(['0', '2', '3']);
    expect(box.bytes).toBe(30);
  });
});
