import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from './wait-for.js';

function field(text: string, key: string, quoted: boolean): string | undefined {
  const at = text.indexOf(`"${key}":`);
  if (at === -1) return undefined;
  const start = at + key.length + 3 + (quoted ? 1 : 0);
  const end = quoted ? text.indexOf('"', start) : text.slice(start).search(/[,}]/) + start;
  return end > start ? text.slice(start, end) : undefined;
}

/** What a wildcard subscriber saw of a fleet during the recording window. */
export interface ScanProbeResult {
  /** Data messages (connection topic excluded) received in the window. */
  readonly messages: number;
  readonly windowMs: number;
  /** Scan-to-receive latency (receive clock − embedded timestamp), ms, one per message. */
  readonly latencies: number[];
  /** Distinct machine ids seen since the probe started. */
  readonly machines: number;
  /** Scans (data topic) whose timestamp came more than 1.5 intervals after the machine's previous scan. */
  readonly lateScans: number;
  /** Scans missing from a machine's sequence (gaps), counted in the window. */
  readonly missingScans: number;
  /** Scans (data topic) received in the window that followed an earlier scan of their machine. */
  readonly scans: number;
  /** Data-topic messages received in the window (one per scan). */
  readonly dataMessages: number;
}

/**
 * A raw mqtt.js wildcard subscriber (QoS 0) that reads the envelope of every message without a full
 * JSON parse (timestamp, machineId, sequence are at the start of the envelope) so that it keeps up
 * with tens of thousands of messages per second.
 */
export class ScanProbe {
  private constructor(
    private readonly client: MqttClient,
    private readonly intervalMs: number,
  ) {}

  private recording = false;
  private messages = 0;
  private latencies: number[] = [];
  private seen = new Set<string>();
  private last = new Map<string, { ts: number; seq: number }>();
  private late = 0;
  private missing = 0;
  private scans = 0;
  private dataMessages = 0;
  private startedAt = 0;
  /** `performance.now()` of the first data message, if any. */
  firstMessageAt: number | undefined;
  /** Data messages since the probe started (inside or outside the window). */
  total = 0;

  /** Connects, subscribes to `filter` and resolves once the SUBACK is in. */
  static async open(url: string, filter: string, intervalMs: number): Promise<ScanProbe> {
    const client = await mqtt.connectAsync(url, {
      clientId: `bench-probe-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
      clean: true,
      reconnectPeriod: 0,
    });
    const probe = new ScanProbe(client, intervalMs);
    // A retained message is state left by an earlier publisher (the agent's PackML topic), not a
    // publish: counted, it made the footprint bench's first publish arrive before the spawn.
    client.on('message', (topic, payload, packet) => {
      if (!packet.retain) probe.onMessage(topic, payload);
    });
    // QoS 0: this subscriber is the measuring instrument. At QoS 1 Mosquitto sends it at most
    // max_inflight_messages (20) unacknowledged messages, which caps it at 20 per round trip (about
    // 3,500 msg/s on a loaded 2-core machine) — the instrument, not the publisher, would be measured.
    await client.subscribeAsync(filter, { qos: 0 });
    return probe;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const kind = topic.slice(topic.lastIndexOf('/') + 1);
    if (kind === 'connection') return;
    const now = Date.now();
    this.firstMessageAt ??= performance.now();
    this.total++;
    const head = payload.toString('latin1', 0, Math.min(payload.length, 256));
    const ts = Date.parse(field(head, 'timestamp', true) ?? '');
    const machineId = field(head, 'machineId', true) ?? '?';
    const seq = Number(field(head, 'sequence', false));
    this.seen.add(machineId);
    if (this.recording) {
      this.messages++;
      if (Number.isFinite(ts)) this.latencies.push(now - ts);
    }
    if (kind !== 'data') return;
    if (this.recording) this.dataMessages++;
    const previous = this.last.get(machineId);
    this.last.set(machineId, { ts, seq });
    if (!this.recording || !previous) return;
    this.scans++;
    if (ts - previous.ts > 1.5 * this.intervalMs) this.late++;
    if (seq > previous.seq + 1) this.missing += seq - previous.seq - 1;
  }

  /** Distinct machines seen so far. */
  machines(): number {
    return this.seen.size;
  }

  /** Opens a recording window; what an earlier window recorded is forgotten. */
  start(): void {
    this.messages = 0;
    this.latencies = [];
    this.late = 0;
    this.missing = 0;
    this.scans = 0;
    this.dataMessages = 0;
    this.recording = true;
    this.startedAt = performance.now();
  }

  /** Closes the window and returns what it saw. */
  stop(): ScanProbeResult {
    this.recording = false;
    return {
      messages: this.messages,
      windowMs: performance.now() - this.startedAt,
      latencies: this.latencies,
      machines: this.seen.size,
      lateScans: this.late,
      missingScans: this.missing,
      scans: this.scans,
      dataMessages: this.dataMessages,
    };
  }

  /** Waits for the first data message (e.g. from a process just started). */
  async firstMessage(timeoutMs: number, what: string): Promise<number> {
    await waitFor(() => this.firstMessageAt !== undefined, timeoutMs, what, 2);
    return this.firstMessageAt!;
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}
