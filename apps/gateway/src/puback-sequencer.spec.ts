import { describe, expect, it } from 'vitest';
import { PubackSequencer } from './puback-sequencer.js';

const go = () => undefined;

describe('PubackSequencer', () => {
  it('acknowledges in the order the messages arrived, whatever order they are handled in', () => {
    const sent: number[] = [];
    const acks = new PubackSequencer((id) => sent.push(id), 10);
    const [a, b, c] = [7, 8, 9].map((id) => acks.receive(id, go));
    c!();
    b!();
    expect(sent).toEqual([]);
    expect(acks.held).toBe(3);
    a!();
    expect(sent).toEqual([7, 8, 9]);
    expect(acks.held).toBe(0);
  });

  it('holds at most `limit` messages: reading on waits until one is acknowledged', () => {
    const acks = new PubackSequencer(() => undefined, 2);
    let reads = 0;
    const first = acks.receive(1, () => reads++);
    acks.receive(2, () => reads++);
    expect(reads).toBe(1);
    first();
    expect(reads).toBe(2);
  });

  it('never acknowledges on a new connection what the lost one held (the broker redelivers it)', () => {
    const sent: number[] = [];
    const acks = new PubackSequencer((id) => sent.push(id), 1);
    let reads = 0;
    const old = acks.receive(1, () => reads++);
    acks.reset();
    expect(reads).toBe(1);
    const fresh = acks.receive(1, () => reads++);
    old();
    expect(sent).toEqual([]);
    fresh();
    expect(sent).toEqual([1]);
  });
});
