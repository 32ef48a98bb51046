import { exampleTags } from '@ot-mqtt/tag-model/testing';
import { describe, expect, it } from 'vitest';
import { DATA_TYPES as T } from './data-types.js';
import { decodePayload } from './decode-payload.js';
import { createEdgeNodeSession, isRebirthRequest, rebirthRequest } from './edge-node-session.js';

const NOW = 1_700_000_000_000;
const session = (deviceIds = ['filler-01', 'filler-02'], bdSeq?: number) =>
  createEdgeNodeSession({
    groupId: 'Packaging',
    edgeNodeId: 'ot-toolkit',
    deviceIds,
    ...(bdSeq === undefined ? {} : { bdSeq }),
  });

describe('createEdgeNodeSession', () => {
  it('registers an NDEATH will with bdSeq as Int64 and no seq', () => {
    const will = session().will();
    expect(will.topic).toBe('spBv1.0/Packaging/NDEATH/ot-toolkit');
    const payload = decodePayload(will.payload);
    expect(payload.seq).toBeUndefined();
    expect(payload.metrics).toEqual([{ name: 'bdSeq', datatype: T.Int64, value: 0n }]);
  });

  it('births the node (seq 0, bdSeq, Node Control/Rebirth without alias) then every device', () => {
    const node = session();
    const messages = node.birth(() => exampleTags(), NOW);
    expect(messages.map((m) => m.topic)).toEqual([
      'spBv1.0/Packaging/NBIRTH/ot-toolkit',
      'spBv1.0/Packaging/DBIRTH/ot-toolkit/filler-01',
      'spBv1.0/Packaging/DBIRTH/ot-toolkit/filler-02',
    ]);
    const [nbirth, first, second] = messages.map((m) => decodePayload(m.payload));
    expect(nbirth).toEqual({
      timestamp: NOW,
      seq: 0,
      metrics: [
        { name: 'bdSeq', datatype: T.Int64, value: 0n, timestamp: NOW },
        { name: 'Node Control/Rebirth', datatype: T.Boolean, value: false, timestamp: NOW },
      ],
    });
    expect([first!.seq, second!.seq]).toEqual([1, 2]);
    expect(first!.metrics).toHaveLength(41);
    const fill = first!.metrics.find((m) => m.name === 'Analog/FillLevel');
    expect(fill).toMatchObject({ alias: 13, datatype: T.Double, timestamp: NOW });
    expect(fill?.properties).toMatchObject({
      engUnit: { value: '%' },
      engLow: { value: 0 },
      engHigh: { value: 100 },
    });
    // Aliases unique over the whole edge node (§6.4.6).
    const aliases = [...first!.metrics, ...second!.metrics].map((m) => m.alias);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  it('reports by exception: only changed tags, by alias, without name or datatype', () => {
    const node = session(['filler-01']);
    node.birth(() => exampleTags(), NOW);
    expect(node.data('filler-01', exampleTags(), NOW + 100)).toBeUndefined();
    const changed = node.data(
      'filler-01',
      exampleTags({ analog: { FillLevel: 51.5 }, status: { Fault: true } }),
      NOW + 200,
    );
    expect(changed?.topic).toBe('spBv1.0/Packaging/DDATA/ot-toolkit/filler-01');
    const payload = decodePayload(changed!.payload);
    expect(payload.seq).toBe(2);
    expect(payload.metrics).toEqual([
      { alias: 13, value: 51.5, timestamp: NOW + 200 },
      { alias: 21, value: true, timestamp: NOW + 200 },
    ]);
  });

  it('counts seq 0–255 over node and device messages and wraps to 0', () => {
    const node = session(['filler-01']);
    node.birth(() => exampleTags(), NOW);
    const seqs: number[] = [];
    for (let i = 0; i < 300; i++) {
      const m = node.data(
        'filler-01',
        exampleTags({ counters: { BottlesFilled: i + 1 } }),
        NOW + i,
      );
      seqs.push(decodePayload(m!.payload).seq!);
    }
    expect(seqs.slice(252, 258)).toEqual([254, 255, 0, 1, 2, 3]);
  });

  it('keeps bdSeq on a rebirth and adds one (255 → 0) per new connection', () => {
    const node = session(['filler-01'], 254);
    node.birth(() => exampleTags(), NOW);
    node.data('filler-01', exampleTags({ counters: { BottlesFilled: 9 } }), NOW);
    const rebirth = node.birth(() => exampleTags(), NOW + 1).map((m) => decodePayload(m.payload));
    expect(rebirth.map((p) => p.seq)).toEqual([0, 1]);
    expect(rebirth[0]!.metrics[0]!.value).toBe(254n);
    node.nextConnection();
    expect(decodePayload(node.will().payload).metrics[0]!.value).toBe(255n);
    node.nextConnection();
    expect(node.bdSeq).toBe(0);
    // A new connection births before it reports again.
    expect(node.data('filler-01', exampleTags(), NOW)).toBeUndefined();
  });

  it('sends DDEATH for a device and NDEATH with the will’s bdSeq on a clean stop', () => {
    const node = session(['filler-01'], 3);
    node.birth(() => exampleTags(), NOW);
    const ddeath = node.deviceDeath('filler-01', NOW);
    expect(ddeath.topic).toBe('spBv1.0/Packaging/DDEATH/ot-toolkit/filler-01');
    expect(decodePayload(ddeath.payload)).toEqual({ timestamp: NOW, seq: 2, metrics: [] });
    expect(node.data('filler-01', exampleTags({ status: { Fault: true } }), NOW)).toBeUndefined();
    expect(decodePayload(node.death(NOW).payload)).toEqual({
      timestamp: NOW,
      metrics: [{ name: 'bdSeq', datatype: T.Int64, value: 3n }],
    });
  });

  it('refuses invalid ids and unknown devices', () => {
    expect(() => session(['a/b'])).toThrow(/deviceId/u);
    expect(() => session(['a', 'a'])).toThrow(/unique/u);
    expect(() => createEdgeNodeSession({ groupId: 'g', edgeNodeId: '#', deviceIds: [] })).toThrow(
      /edgeNodeId/u,
    );
    expect(() => session().data('filler-09', exampleTags(), NOW)).toThrow(/unknown device/u);
  });

  it('builds and recognises the rebirth NCMD', () => {
    const request = rebirthRequest('Packaging', 'ot-toolkit', NOW);
    expect(request.topic).toBe('spBv1.0/Packaging/NCMD/ot-toolkit');
    expect(isRebirthRequest(decodePayload(request.payload))).toBe(true);
    expect(isRebirthRequest({ metrics: [{ name: 'Node Control/Rebirth', value: false }] })).toBe(
      false,
    );
  });
});
