import { describe, expect, it } from 'vitest';
import {
  encodeHostState,
  hostStateTopic,
  parseHostState,
  parseSparkplugTopic,
  sparkplugIdProblem,
  sparkplugTopic,
} from './topics.js';

describe('Sparkplug topics', () => {
  it('builds and parses node, device and STATE topics', () => {
    const node = sparkplugTopic({ groupId: 'Packaging', type: 'NBIRTH', edgeNodeId: 'ot-toolkit' });
    expect(node).toBe('spBv1.0/Packaging/NBIRTH/ot-toolkit');
    expect(parseSparkplugTopic(node)).toEqual({
      kind: 'message',
      groupId: 'Packaging',
      type: 'NBIRTH',
      edgeNodeId: 'ot-toolkit',
    });
    const device = {
      groupId: 'Packaging',
      type: 'DDATA',
      edgeNodeId: 'ot-toolkit',
      deviceId: 'filler-01',
    } as const;
    expect(parseSparkplugTopic(sparkplugTopic(device))).toEqual({ kind: 'message', ...device });
    expect(hostStateTopic('scada-1')).toBe('spBv1.0/STATE/scada-1');
    expect(parseSparkplugTopic('spBv1.0/STATE/scada-1')).toEqual({
      kind: 'state',
      hostId: 'scada-1',
    });
  });

  it('refuses ids that are not one topic level, and device types without a device', () => {
    expect(sparkplugIdProblem('line/1')).toMatch(/"\/"/u);
    expect(sparkplugIdProblem('a+')).toBeDefined();
    expect(sparkplugIdProblem('')).toBe('must not be empty');
    expect(sparkplugIdProblem('bell\u0007')).toMatch(/control/u);
    expect(() => sparkplugTopic({ groupId: 'a#', type: 'NBIRTH', edgeNodeId: 'e' })).toThrow(
      /groupId/u,
    );
    expect(() => sparkplugTopic({ groupId: 'g', type: 'DDATA', edgeNodeId: 'e' })).toThrow(
      /deviceId/u,
    );
    expect(() =>
      sparkplugTopic({ groupId: 'g', type: 'NDATA', edgeNodeId: 'e', deviceId: 'd' }),
    ).toThrow(/node message/u);
  });

  it.each([
    ['not in the spBv1.0 namespace', 'plc/bottlefiller/data'],
    ['a node message with a device id', 'spBv1.0/g/NBIRTH/e/d'],
    ['a device message without one', 'spBv1.0/g/DDATA/e'],
    ['an unknown message type', 'spBv1.0/g/XDATA/e'],
    ['an empty level', 'spBv1.0/g//e'],
    ['STATE with two host levels', 'spBv1.0/STATE/a/b'],
    ['a level too many', 'spBv1.0/g/DDATA/e/d/extra'],
  ])('does not parse a topic %s (%s)', (_why, topic) => {
    expect(parseSparkplugTopic(topic)).toBeUndefined();
  });

  it('encodes the 3.0 STATE JSON and ignores the 2.2 text form', () => {
    const text = encodeHostState({ online: true, timestamp: 1_700_000_000_000 });
    expect(parseHostState(new TextEncoder().encode(text))).toEqual({
      online: true,
      timestamp: 1_700_000_000_000,
    });
    expect(parseHostState('ONLINE')).toBeUndefined();
    expect(parseHostState('{"online":"yes","timestamp":1}')).toBeUndefined();
    expect(parseHostState('null')).toBeUndefined();
  });
});
