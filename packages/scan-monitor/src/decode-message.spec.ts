import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode-message.js';
import { exampleConnection, exampleScan } from '@ot-mqtt/tag-model/testing';
import type { ReceivedMessage } from './decode-message.js';

const T = new Date('2025-01-15T08:30:00.000Z');
const options = { root: 'plc/bottlefiller', maxPayloadBytes: 262_144 };
const at = T.getTime() + 7;

function received(
  topic: string,
  payload: string | Uint8Array,
  extra: Partial<ReceivedMessage> = {},
): ReceivedMessage {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return { topic, payload: bytes, qos: 1, retain: false, dup: false, ...extra };
}
const scanMessages = (
  sequence: number,
  timestamp: Date,
  options: { machineId?: string; fleet?: boolean } = {},
) => exampleScan({ sequence, timestamp, ...options });

describe('decoding received messages', () => {
  it('accepts every topic of a scan with its kind, machine, sequence and timestamp', () => {
    for (const { topic, payload } of scanMessages(42, T)) {
      const m = decodeMessage(received(topic, payload), at, options);
      expect(m).toMatchObject({
        ok: true,
        topic,
        machineId: 'filler-01',
        sequence: 42,
        timestamp: T.getTime(),
      });
    }
  });

  it('reads the machine from fleet topics and the connection topic', () => {
    const [data] = scanMessages(1, T, { machineId: 'filler-07', fleet: true });
    expect(decodeMessage(received(data!.topic, data!.payload), at, options)).toMatchObject({
      ok: true,
      kind: 'data',
      machineId: 'filler-07',
    });
    const online = exampleConnection('online', { timestamp: T, publishIntervalMs: 2000 });
    expect(
      decodeMessage(received(online.topic, online.payload, { retain: true }), at, options),
    ).toMatchObject({
      ok: true,
      kind: 'connection',
      sequence: undefined,
      retain: true,
    });
  });

  it('names the tag path of an out-of-range value', () => {
    const [, , , analog] = scanMessages(1, T);
    const bad = analog!.payload.replace('"FillLevel":63.4', '"FillLevel":150');
    const m = decodeMessage(received(analog!.topic, bad), at, options);
    expect(m).toMatchObject({
      ok: false,
      path: 'tags.FillLevel',
      machineId: undefined,
      kind: 'analog',
    });
    if (!m.ok) expect(m.message).toContain('out of range');
  });

  it('reports non-JSON, binary and empty payloads without throwing', () => {
    const topic = 'plc/bottlefiller/data';
    const notJson = decodeMessage(received(topic, '{"schemaVersion":1,'), at, options);
    expect(notJson).toMatchObject({ ok: false, path: '', preview: '"{\\"schemaVersion\\":1,"' });
    if (!notJson.ok) expect(notJson.message).toMatch(/not JSON/);

    const binary = decodeMessage(
      received(topic, new Uint8Array([0xff, 0xfe, 0x00, 0x81])),
      at,
      options,
    );
    expect(binary).toMatchObject({ ok: false, bytes: 4, preview: 'hex fffe0081' });
    if (!binary.ok) expect(binary.message).toMatch(/binary/);

    const empty = decodeMessage(received(topic, ''), at, options);
    if (!empty.ok) expect(empty.message).toMatch(/empty/);
    expect(empty.ok).toBe(false);
  });

  it('refuses to parse a payload over the size limit and keeps only a short preview', () => {
    const big = `{"junk":"${'x'.repeat(300_000)}"}`;
    const m = decodeMessage(received('plc/bottlefiller/data', big), at, options);
    expect(m).toMatchObject({ ok: false, path: '', bytes: big.length });
    if (!m.ok) {
      expect(m.message).toContain('too large');
      expect(m.message).toContain('262144');
      expect(m.preview.length).toBeLessThan(80);
    }
  });

  it('says which topics are not part of the tag model', () => {
    const m = decodeMessage(received('plc/bottlefiller/unknown/x/y', '{}'), at, options);
    expect(m).toMatchObject({ ok: false, kind: undefined });
    if (!m.ok) expect(m.message).toContain('not a bottle-filler topic');
  });
});
