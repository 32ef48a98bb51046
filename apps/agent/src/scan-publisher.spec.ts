import {
  TAGS,
  TOPIC_KINDS,
  parsePayload,
  topicFor,
  type BottleFillerTags,
  type TagMetadata,
} from '@ot-mqtt/tag-model';
import { describe, expect, it } from 'vitest';
import {
  createScanPublisher,
  type PublishFn,
  type ScanPublisherOptions,
} from './scan-publisher.js';

/** A valid scan built from the tag metadata: booleans off, numbers at the bottom of their range. */
function idleTags(): BottleFillerTags {
  return Object.fromEntries(
    Object.entries(TAGS).map(([group, tags]) => [
      group,
      Object.fromEntries(
        Object.entries(tags as Record<string, TagMetadata>).map(([name, meta]) => [
          name,
          meta.dataType === 'BOOL' ? false : (meta.range?.min ?? 0),
        ]),
      ),
    ]),
  ) as unknown as BottleFillerTags;
}

interface Sent {
  topic: string;
  payload: string;
  settle: (ok: boolean) => void;
}

function fakeClient() {
  const sent: Sent[] = [];
  const publish: PublishFn = (topic, payload) =>
    new Promise<void>((resolve, reject) => {
      sent.push({
        topic,
        payload,
        settle: (ok) => (ok ? resolve() : reject(new Error('outbox full'))),
      });
    });
  return { sent, publish };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** A publisher of filler-01 under plc/bottlefiller that ignores failures unless told otherwise. */
const publisherOn = (publish: PublishFn, options: Partial<ScanPublisherOptions> = {}) =>
  createScanPublisher({
    publish,
    machineId: 'filler-01',
    root: 'plc/bottlefiller',
    onFailure: () => undefined,
    onInvalid: () => undefined,
    ...options,
  });

describe('scan publisher', () => {
  it('publishes a scan as seven valid messages sharing one sequence number, data first', () => {
    const { sent, publish } = fakeClient();
    const publisher = publisherOn(publish);
    publisher.publish(idleTags(), new Date('2025-03-01T08:30:00.000Z'));
    publisher.publish(idleTags(), new Date('2025-03-01T08:30:02.000Z'));
    expect(sent.map((s) => s.topic).slice(0, 7)).toEqual(
      TOPIC_KINDS.map((kind) => topicFor(kind)) /* the seven seed topics (topics.spec) */,
    );
    const sequences = sent.map((s) => {
      const parsed = parsePayload(s.topic, s.payload);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return (parsed.value as { sequence: number }).sequence;
    });
    expect(sequences).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('counts acknowledged and failed messages as the broker answers', async () => {
    const { sent, publish } = fakeClient();
    const failures: string[] = [];
    const publisher = publisherOn(publish, {
      onFailure: (_e, topic) => failures.push(topic),
    });
    publisher.publish(idleTags(), new Date());
    publisher.publish(idleTags(), new Date());
    sent.forEach((s, i) => s.settle(i !== 3));
    await flush();
    // Scan 0 lost one message (lost, counted once), scan 1 arrived whole (delivered).
    expect(publisher.counters()).toEqual({
      scans: 2,
      messages: 14,
      acked: 13,
      failed: 1,
      invalid: 0,
      delivered: 1,
      lost: 1,
      nextSequence: 2,
    });
    expect(failures).toEqual(['plc/bottlefiller/analog']);
  });

  it('reports each acknowledged message with its publish-to-PUBACK time, and nothing for a failed one', async () => {
    const { sent, publish } = fakeClient();
    const acked: number[] = [];
    const publisher = publisherOn(publish, {
      onAcked: (ms) => acked.push(ms),
    });
    publisher.publish(idleTags(), new Date());
    const before = performance.now();
    while (performance.now() - before < 5); // the broker takes 5 ms
    sent.forEach((s, i) => s.settle(i !== 3));
    await flush();
    expect(acked).toHaveLength(6);
    for (const ms of acked) expect(ms).toBeGreaterThanOrEqual(5);
  });

  it('skips a scan the tag model rejects instead of crashing, leaving a visible gap', () => {
    const { sent, publish } = fakeClient();
    const invalid: number[] = [];
    const publisher = publisherOn(publish, {
      onInvalid: (_e, sequence) => invalid.push(sequence),
    });
    const bad = idleTags();
    (bad.analog as { FillLevel: number }).FillLevel = 250;
    publisher.publish(bad, new Date());
    publisher.publish(idleTags(), new Date());
    expect(invalid).toEqual([0]);
    expect(sent).toHaveLength(7);
    expect(publisher.counters()).toMatchObject({ scans: 2, invalid: 1, nextSequence: 2 });
  });

  it('puts the machine id in the topic for fleets', () => {
    const { sent, publish } = fakeClient();
    publisherOn(publish, {
      machineId: 'filler-42',
      includeMachineLevel: true,
    }).publish(idleTags(), new Date());
    expect(sent[0]?.topic).toBe('plc/bottlefiller/filler-42/data');
  });
});
