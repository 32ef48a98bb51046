import { describe, expect, it } from 'vitest';
import { outboxLimits } from './outbox-limits.js';

describe('outbox limits of an agent connection', () => {
  it('keeps the client defaults for a single filler', () => {
    expect(outboxLimits(1, 10_000)).toEqual({
      maxMessages: 10_000,
      maxBytes: 16 * 1024 * 1024,
      maxInFlight: 100,
    });
  });

  it('gives a fleet connection a window of one scan per filler, capped at 65,535 packet ids', () => {
    expect(outboxLimits(1_000, 14_000).maxInFlight).toBe(7_000);
    expect(outboxLimits(10_000, 140_000).maxInFlight).toBe(65_535);
  });

  it('lets the byte bound hold the whole window and the queue, so the message bound decides', () => {
    for (const fillers of [1, 100, 1_000, 10_000, 100_000]) {
      const { maxBytes, maxInFlight, maxMessages } = outboxLimits(fillers, 14 * fillers);
      // ~1.1 KB data messages are the largest the agent sends; the average is far lower.
      expect(maxBytes).toBeGreaterThanOrEqual((maxMessages + maxInFlight) * 1024);
    }
  });
});
