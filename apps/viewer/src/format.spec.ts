import { describe, expect, it } from 'vitest';
import { createPalette } from './ansi.js';
import { decodeMessage, type InvalidMessage, type ValidMessage } from '@ot-mqtt/scan-monitor';
import { formatInvalidMessage, formatPrettyMessage } from './format-message.js';
import { formatNdjson } from './format-ndjson.js';
import { formatSummary, labelOf } from './format-summary.js';
import { exampleTags, received, scanMessages } from './fixtures.test-helper.js';
import type { DataPayload } from '@ot-mqtt/tag-model';

const T = new Date('2025-01-15T08:30:00.000Z');
const at = T.getTime() + 12;
const options = { root: 'plc/bottlefiller', maxPayloadBytes: 262_144 };
const plain = createPalette(false);
const colour = createPalette(true);
const ESC = '\u001b[';

function valid(topicIndex = 0, tags = exampleTags()): ValidMessage {
  const msg = scanMessages(42, T, { tags })[topicIndex]!;
  const m = decodeMessage(received(msg.topic, msg.payload), at, options);
  if (!m.ok) throw new Error(m.message);
  return m;
}

function invalid(topic: string, payload: string | Uint8Array): InvalidMessage {
  const m = decodeMessage(received(topic, payload), at, options);
  if (m.ok) throw new Error('expected invalid');
  return m;
}

describe('pretty output', () => {
  it('shows receive time, topic, machine and sequence above the indented payload', () => {
    const text = formatPrettyMessage(valid(3), plain);
    const [header, ...body] = text.split('\n');
    expect(header).toBe(
      '2025-01-15T08:30:00.012Z  plc/bottlefiller/analog  filler-01 #42  (qos 1)',
    );
    expect(JSON.parse(body.join('\n'))).toMatchObject({ sequence: 42, tags: { FillLevel: 63.4 } });
    expect(body[1]).toBe('  "schemaVersion": 1,');
  });

  it('colours only on request, and the coloured text reads the same without escapes', () => {
    expect(formatPrettyMessage(valid(), plain)).not.toContain(ESC);
    const coloured = formatPrettyMessage(valid(), colour);
    expect(coloured).toContain(ESC);
    // eslint-disable-next-line no-control-regex -- stripping the ANSI escapes we emitted
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(formatPrettyMessage(valid(), plain));
  });

  it('puts an invalid message on one line with topic, tag path, reason and preview', () => {
    const line = formatInvalidMessage(
      invalid(
        'plc/bottlefiller/counters',
        '{"schemaVersion":1,"timestamp":"2025-01-15T08:30:00.000Z","machineId":"filler-01","sequence":1,"tags":{"BottlesFilled":-1,"BottlesRejected":0,"BottlesPerMinute":0}}',
      ),
      plain,
    );
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('✗ invalid plc/bottlefiller/counters tags.BottlesFilled:');
    expect(line).toContain('out of range');
    expect(line).toMatch(/\[\d+ B, qos 1: "\{/);
  });

  it('keeps a huge or binary payload to one short line', () => {
    const big = formatInvalidMessage(invalid('plc/bottlefiller/data', 'x'.repeat(400_000)), plain);
    expect(big.length).toBeLessThan(300);
    const binary = formatInvalidMessage(
      invalid('plc/bottlefiller/data', new Uint8Array(1000).fill(0xff)),
      plain,
    );
    expect(binary).toContain('hex ffffffff');
    expect(binary.length).toBeLessThan(300);
  });
});

describe('NDJSON output', () => {
  it('writes one parseable line per valid message with the payload as received', () => {
    const line = formatNdjson(valid());
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      topic: 'plc/bottlefiller/data',
      receivedAt: '2025-01-15T08:30:00.012Z',
      kind: 'data',
      machineId: 'filler-01',
      sequence: 42,
      qos: 1,
      retain: false,
      dup: false,
      payload: JSON.parse(scanMessages(42, T)[0]!.payload),
    });
  });

  it('compacts a pretty-printed payload so the line framing holds', () => {
    const { topic, payload } = scanMessages(42, T)[1]!;
    const m = decodeMessage(
      received(topic, JSON.stringify(JSON.parse(payload), null, 2)),
      at,
      options,
    );
    const line = formatNdjson(m);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line).payload.tags.BottlePresent).toBe(true);
  });

  it('writes an error object instead of the payload for an invalid message', () => {
    const line = formatNdjson(invalid('plc/bottlefiller/filler-02/status', 'nope\n'));
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({
      topic: 'plc/bottlefiller/filler-02/status',
      kind: 'status',
      machineId: 'filler-02',
      sequence: null,
      error: { path: '', bytes: 5 },
    });
    expect(JSON.parse(line).error.message).toMatch(/not JSON/);
  });
});

describe('summary output', () => {
  const summary = (tags = exampleTags()) => {
    const m = valid(0, tags);
    return formatSummary(
      {
        value: m.value as DataPayload,
        topic: m.topic,
        receivedAt: m.receivedAt,
        timestamp: m.timestamp,
      },
      plain,
    );
  };

  it('shows state, analog values with units, counters and alarms at a glance', () => {
    const text = summary();
    expect(text).toContain('filler-01  scan #42');
    expect(text).toContain('latency 12 ms');
    expect(text).toContain('State     RUNNING · AUTO · filling');
    expect(text).toContain('Fill level 63.4 %');
    expect(text).toContain('Fill flow rate 18.2 L/min');
    expect(text).toContain('Tank temperature 21.7 °C');
    expect(text).toContain('Tank pressure 14.9 PSI');
    expect(text).toContain('Conveyor speed 0.0 RPM');
    expect(text).toContain('Bottles filled 1842 · Bottles rejected 17 ·');
    expect(text).toContain('Bottles per minute 38 bottles/min');
    expect(text).toContain('Alarms    none');
  });

  it('names a fault, manual mode and the active alarms', () => {
    const tags = exampleTags({ status: { Fault: true, AutoMode: false, Filling: false } });
    tags.alarms.CapMissing = true;
    tags.alarms.LowProductLevel = true;
    const text = summary(tags);
    expect(text).toContain('State     FAULTED · MANUAL');
    expect(text).toContain(
      'Alarms    LowProductLevel (Low product level alarm), CapMissing (Cap missing alarm)',
    );
  });

  it('labels tags readably from their names', () => {
    expect(labelOf('BottlesPerMinute')).toBe('Bottles per minute');
  });
});
