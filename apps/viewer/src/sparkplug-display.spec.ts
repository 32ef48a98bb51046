import {
  compressPayload,
  createEdgeNodeSession,
  decodePayload,
  encodePayload,
  isRebirthRequest,
  type SparkplugMessage,
} from '@ot-mqtt/sparkplug';
import { describe, expect, it } from 'vitest';
import type { ViewerMode } from './config.js';
import { exampleTags, received, scanMessages, testViewer } from './fixtures.test-helper.js';

const T0 = Date.parse('2025-01-15T08:00:00.000Z');

function setup(mode: ViewerMode) {
  const rebirths: SparkplugMessage[] = [];
  const { viewer, messages, logs } = testViewer(mode, {
    filter: 'spBv1.0/#',
    requestRebirth: (m) => rebirths.push(m),
  });
  const feed = (m: SparkplugMessage, at = T0) =>
    viewer.handleMessage(received(m.topic, m.payload), at);
  return { viewer, messages, logs, rebirths, feed };
}
const node = () =>
  createEdgeNodeSession({
    groupId: 'Packaging',
    edgeNodeId: 'edge',
    deviceIds: ['filler-01'],
    bdSeq: 3,
  });

describe('viewer: Sparkplug B', () => {
  it('shows births and data as readable lines, DATA resolved by the BIRTH’s aliases', () => {
    const { messages, feed, rebirths } = setup('summary');
    const edge = node();
    for (const m of edge.birth(() => exampleTags(), T0)) feed(m);
    feed(
      edge.data(
        'filler-01',
        exampleTags({ analog: { FillLevel: 12.5 }, status: { Fault: true } }),
        T0,
      )!,
    );
    expect(messages[0]).toContain(
      'spB NBIRTH Packaging/edge bdSeq 3 seq 0 · 2 metrics:  bdSeq:Int64=3  Node Control/Rebirth:Boolean=false',
    );
    expect(messages[1]).toContain(
      'spB DBIRTH Packaging/edge/filler-01 seq 1 · 41 metrics:  Inputs/BottlePresent:Boolean=true ',
    );
    expect(messages[1]).toMatch(/… \+35 more$/u);
    expect(messages[2]).toContain(
      'spB DDATA Packaging/edge/filler-01 seq 2  Analog/FillLevel=12.5  Status/Fault=true',
    );
    expect(rebirths).toEqual([]);
  });

  it('counts Sparkplug messages in its statistics instead of saying nothing arrived', () => {
    const { viewer, logs, feed } = setup('summary');
    for (const m of node().birth(() => exampleTags(), T0)) feed(m);
    viewer.reportStats(T0);
    expect(logs.join('\n')).toContain('2 Sparkplug B messages on spBv1.0/#');
  });

  it('asks for a rebirth when data arrives for an alias no BIRTH defined (a viewer that joined late)', () => {
    const { messages, feed, rebirths } = setup('summary');
    const edge = node();
    edge.birth(() => exampleTags(), T0);
    feed(edge.data('filler-01', exampleTags({ status: { Fault: true } }), T0)!);
    expect(messages[0]).toContain(
      'alias 21 (unknown)=true  ⚠ DDATA before its NBIRTH; unknown alias 21 → rebirth requested',
    );
    expect(rebirths).toHaveLength(1);
    expect(rebirths[0]!.topic).toBe('spBv1.0/Packaging/NCMD/edge');
    expect(isRebirthRequest(decodePayload(rebirths[0]!.payload))).toBe(true);
  });

  it('writes NDJSON records with 64-bit values as strings, and escapes hostile names', () => {
    const { messages, feed } = setup('ndjson');
    feed({
      topic: 'spBv1.0/G/NBIRTH/e',
      payload: encodePayload({
        seq: 0,
        metrics: [
          { name: 'bdSeq', datatype: 4, value: 9_007_199_254_740_993n },
          { name: 'evil\u001b[2J', datatype: 12, value: 'x\u0007' },
        ],
      }),
    });
    const record = JSON.parse(messages[0]!) as { metrics: { name: string; value: unknown }[] };
    expect(record).toMatchObject({
      kind: 'sparkplug',
      type: 'NBIRTH',
      groupId: 'G',
      bdSeq: 9_007_199_254_740_992,
    });
    expect(record.metrics[0]!.value).toBe('9007199254740993');
    expect([...messages[0]!].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
  });

  it('shows garbage on spBv1.0/ as invalid, without throwing', () => {
    const { messages, feed } = setup('pretty');
    feed({ topic: 'spBv1.0/G/DDATA/e/d', payload: new Uint8Array([0xff, 0xff, 0xff]) });
    expect(messages[0]).toMatch(
      /✗ invalid Sparkplug spBv1\.0\/G\/DDATA\/e\/d: not a Sparkplug B payload/u,
    );
  });
});

describe('viewer: compressed JSON (PAYLOAD_COMPRESSION)', () => {
  it('inflates deflate and gzip scans transparently', () => {
    for (const compression of ['deflate', 'gzip'] as const) {
      const { viewer: v, messages } = testViewer('summary');
      for (const m of scanMessages(1, new Date(T0)))
        v.handleMessage(received(m.topic, compressPayload(m.payload, compression)), T0 + 5);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('filler-01  scan #1');
    }
  });
});
