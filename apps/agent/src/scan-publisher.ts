import { encodeScan, type BottleFillerTags } from '@ot-mqtt/tag-model';

/** The one client call the publisher needs (structural, so tests can pass a fake). */
export type PublishFn = (
  topic: string,
  payload: string,
  options: { readonly qos: 1; readonly retain: false },
) => Promise<void>;

/** Running totals of one publisher, read by the periodic summary. */
export interface ScanCounters {
  /** Scans taken from the simulator. */
  readonly scans: number;
  /** Messages handed to the client (seven per encoded scan). */
  readonly messages: number;
  /** Messages the broker acknowledged (PUBACK). */
  readonly acked: number;
  /** Messages the client gave up on (outbox overflow, closed, rejected). */
  readonly failed: number;
  /** Scans that could not be encoded (a simulator value outside the tag model). */
  readonly invalid: number;
  /** Scans whose seven messages the broker all acknowledged. */
  readonly delivered: number;
  /** Scans of which the client gave up on at least one message (counted once per scan). */
  readonly lost: number;
  /** Sequence number the next scan will carry. */
  readonly nextSequence: number;
}

/** Options of {@link createScanPublisher}. */
export interface ScanPublisherOptions {
  /** Publishes one message at QoS 1 (the client's `publish`). */
  readonly publish: PublishFn;
  /** Machine id written into every envelope. */
  readonly machineId: string;
  /** Topic root. */
  readonly root: string;
  /** Fleet layout: machine id as a topic level (default false: the seed's seven topics). */
  readonly includeMachineLevel?: boolean;
  /** Called for each acknowledged message with the ms from its publish to the PUBACK (metrics). */
  readonly onAcked?: (ms: number) => void;
  /** Called for each message the client gives up on, with the topic and the error. */
  readonly onFailure: (error: unknown, topic: string, sequence: number) => void;
  /** Called when a scan cannot be encoded; the scan is skipped (its sequence number too). */
  readonly onInvalid: (error: unknown, sequence: number) => void;
}

/** Turns simulator snapshots into the seven QoS 1 messages of one scan, counting the outcome. */
export interface ScanPublisher {
  /** Encodes and publishes one scan; never throws, never waits (acks are counted as they come). */
  publish(tags: BottleFillerTags, at: Date): void;
  /** Totals so far. */
  counters(): ScanCounters;
}

/**
 * One publisher per simulated machine: owns the machine's sequence numbers, so a subscriber can
 * tell a lost scan (a gap) from a duplicate (QoS 1 redelivery) from an agent restart (back to 0).
 */
export function createScanPublisher(options: ScanPublisherOptions): ScanPublisher {
  let scans = 0;
  let messages = 0;
  let acked = 0;
  let failed = 0;
  let invalid = 0;
  let delivered = 0;
  let lost = 0;
  let sequence = 0;
  return {
    publish(tags, at) {
      scans++;
      const current = sequence++;
      let encoded;
      try {
        encoded = encodeScan(tags, {
          machineId: options.machineId,
          sequence: current,
          timestamp: at,
          root: options.root,
          includeMachineLevel: options.includeMachineLevel ?? false,
        });
      } catch (error) {
        invalid++;
        options.onInvalid(error, current);
        return;
      }
      // One scan, one outcome: delivered when its last message is acknowledged, lost at the first failure.
      let pending = encoded.length;
      let failedScan = false;
      const { onAcked } = options;
      for (const { topic, payload } of encoded) {
        messages++;
        const startedAt = onAcked === undefined ? 0 : performance.now();
        options.publish(topic, payload, { qos: 1, retain: false }).then(
          () => {
            acked++;
            onAcked?.(performance.now() - startedAt);
            if (--pending === 0 && !failedScan) delivered++;
          },
          (error: unknown) => {
            failed++;
            if (!failedScan) lost++;
            failedScan = true;
            options.onFailure(error, topic, current);
          },
        );
      }
    },
    counters: () => ({
      scans,
      messages,
      acked,
      failed,
      invalid,
      delivered,
      lost,
      nextSequence: sequence,
    }),
  };
}
