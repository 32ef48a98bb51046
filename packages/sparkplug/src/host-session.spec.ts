import { exampleTags } from '@ot-mqtt/tag-model/testing';
import { describe, expect, it } from 'vitest';
import { decodePayload } from './decode-payload.js';
import {
  createEdgeNodeSession,
  isRebirthRequest,
  type SparkplugMessage,
} from './edge-node-session.js';
import { encodePayload } from './encode-payload.js';
import { fillerTagsFromMetrics } from './filler-metrics.js';
import { createHostSession, type HostEvent } from './host-session.js';

const NOW = 1_700_000_000_000;
const edge = (bdSeq = 0) =>
  createEdgeNodeSession({ groupId: 'G', edgeNodeId: 'E', deviceIds: ['filler-01'], bdSeq });
type MessageEvent = Extract<HostEvent, { kind: 'message' }>;
const feed = (host: ReturnType<typeof createHostSession>, m: SparkplugMessage, now = NOW) =>
  host.receive(m.topic, m.payload, now) as MessageEvent;

describe('createHostSession', () => {
  it('resolves DDATA aliases through the DBIRTH and keeps each device’s current values', () => {
    const host = createHostSession();
    const node = edge();
    const births = node.birth(() => exampleTags(), NOW).map((m) => feed(host, m));
    expect(births.map((e) => [e.type, e.problems])).toEqual([
      ['NBIRTH', []],
      ['DBIRTH', []],
    ]);
    expect(births[0]!.bdSeq).toBe(0);
    const data = feed(
      host,
      node.data(
        'filler-01',
        exampleTags({ analog: { FillLevel: 12.25 }, status: { Fault: true } }),
        NOW,
      )!,
    );
    expect(data.problems).toEqual([]);
    expect(data.rebirth).toBeUndefined();
    expect(data.metrics.map((m) => [m.name, m.value])).toEqual([
      ['Analog/FillLevel', 12.25],
      ['Status/Fault', true],
    ]);
    const values = host.deviceValues('G', 'E', 'filler-01')!;
    expect(fillerTagsFromMetrics(values)).toEqual(
      exampleTags({ analog: { FillLevel: 12.25 }, status: { Fault: true } }),
    );
  });

  it('asks for a rebirth on an unknown alias, DATA before BIRTH and a seq gap — once per hold-off', () => {
    const host = createHostSession({ rebirthHoldoffMs: 1_000 });
    const node = edge();
    const [nbirth, dbirth] = node.birth(() => exampleTags(), NOW);
    const first = node.data('filler-01', exampleTags({ status: { Fault: true } }), NOW)!;
    // The host joined late: it has seen no BIRTH.
    const late = feed(host, first);
    expect(late.problems).toContain('DDATA before its NBIRTH');
    expect(late.metrics[0]!.name).toBeUndefined();
    expect(isRebirthRequest(decodePayload(late.rebirth!.payload))).toBe(true);
    expect(late.rebirth!.topic).toBe('spBv1.0/G/NCMD/E');
    // Within the hold-off: no second request.
    const again = feed(host, node.data('filler-01', exampleTags(), NOW)!, NOW + 10);
    expect(again.rebirth).toBeUndefined();

    feed(host, nbirth!);
    feed(host, dbirth!);
    // Messages 1 and 2 of the new numbering were lost: seq jumps from 1 to 3.
    node.data('filler-01', exampleTags({ status: { Fault: false } }), NOW);
    const gap = feed(
      host,
      node.data('filler-01', exampleTags({ status: { Fault: true } }), NOW)!,
      NOW + 2_000,
    );
    expect(gap.problems).toEqual(['seq gap: expected 2, got 4']);
    expect(gap.rebirth).toBeDefined();

    const unknown = feed(
      host,
      {
        topic: 'spBv1.0/G/DDATA/E/filler-01',
        payload: encodePayload({ seq: 5, metrics: [{ alias: 999, value: 1 }] }),
      },
      NOW + 4_000,
    );
    expect(unknown.problems).toEqual(['unknown alias 999']);
    expect(unknown.rebirth).toBeDefined();
  });

  it('honours an NDEATH only when its bdSeq matches the current NBIRTH', () => {
    const host = createHostSession();
    const old = edge(4);
    const oldWill = old.will();
    old.nextConnection();
    for (const m of old.birth(() => exampleTags(), NOW)) feed(host, m);
    // The previous connection's will, delivered late: stale.
    const stale = feed(host, oldWill);
    expect(stale.problems).toEqual(['stale NDEATH: bdSeq 4, current 5']);
    expect(host.deviceValues('G', 'E', 'filler-01')).toBeDefined();
    const death = feed(host, old.will());
    expect(death.problems).toEqual([]);
    expect(death.bdSeq).toBe(5);
    expect(host.deviceValues('G', 'E', 'filler-01')).toBeUndefined();
  });

  it('never throws on hostile input and stays bounded', () => {
    const host = createHostSession({ maxEdgeNodes: 3 });
    expect(host.receive('plc/bottlefiller/data', new Uint8Array())).toBeUndefined();
    expect(host.receive('spBv1.0/G/DDATA/E', new Uint8Array())).toMatchObject({ kind: 'invalid' });
    expect(host.receive('spBv1.0/G/NBIRTH/E', new Uint8Array([0xff, 0xff]))).toMatchObject({
      kind: 'invalid',
    });
    expect(host.receive('spBv1.0/STATE/h', new TextEncoder().encode('ONLINE'))).toEqual({
      kind: 'state',
      hostId: 'h',
      state: undefined,
    });
    for (let i = 0; i < 10; i++)
      host.receive(`spBv1.0/G/NBIRTH/E${i}`, encodePayload({ seq: 0, metrics: [] }));
    expect(host.size).toBe(3);
  });
});
