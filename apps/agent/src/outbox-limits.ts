/** Outbox bounds of one MQTT connection of the agent (see {@link outboxLimits}). */
export interface OutboxLimits {
  /** Messages held: queued plus in flight. */
  readonly maxMessages: number;
  /** Bytes held: queued plus in flight. */
  readonly maxBytes: number;
  /** Messages sent and not yet acknowledged. */
  readonly maxInFlight: number;
}

/** The client library's default byte bound, kept for a single filler. */
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
/** Agent payloads average ~0.4 KB (six group messages and one ~1.1 KB data message per scan). */
const BYTES_PER_MESSAGE = 1024;

/**
 * Bounds for a connection that carries `fillers` machines' scans.
 *
 * A shared fleet connection carries thousands of messages per second: a window of 100
 * unacknowledged ones would cap it at 100 per round trip, so the window is one scan (seven
 * messages) per filler, up to MQTT's 65,535 packet ids. The byte bound must then hold the whole
 * window plus the queue: with the library's 16 MiB default, 10,000 fillers filled it with messages
 * in flight alone (~53k of them), and every new scan was refused instead of the oldest queued
 * one being dropped. So bytes scale with what the message bound allows, at a generous 1 KiB per
 * message, and never fall below the library default.
 */
export function outboxLimits(fillers: number, maxMessages: number): OutboxLimits {
  const maxInFlight = Math.min(65_535, Math.max(100, 7 * fillers));
  const maxBytes = Math.max(DEFAULT_MAX_BYTES, (maxMessages + maxInFlight) * BYTES_PER_MESSAGE);
  return { maxMessages, maxBytes, maxInFlight };
}
