import { describe, expect, it } from 'vitest';
import { createPalette } from './ansi.js';
import type { ViewerMode } from './config.js';
import { exampleTags, received, scanMessages, testViewer } from './fixtures.test-helper.js';
import { encodeScan } from '@ot-mqtt/tag-model';

// What a hostile or broken publisher can send, and what the viewer must make of it (issue 9).
const T0 = Date.parse('2025-01-15T08:00:00.000Z');
// eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

function setup(
  mode: ViewerMode,
  colour = false,
  extra: { maxMachines?: number; futureToleranceMs?: number } = {},
) {
  return testViewer(mode, { palette: createPalette(colour), ...extra });
}

/** Strips the viewer's own colour codes, leaving any escape sequence that came from the wire. */
// eslint-disable-next-line no-control-regex -- the palette's own SGR codes are what is removed
const uncoloured = (text: string) => text.replace(/\u001b\[\d+m/gu, '');

// A payload whose unknown keys hold a clear-screen sequence, an OSC window title and a carriage
// return that would forge a log line: all three land in the error text (path and message).
const HOSTILE_KEYS = [
  '\u001b[2J',
  '\u001b]0;owned\u0007',
  'x\r2025-01-15T08:00:00.000Z  INFO  all fine',
] as const;
function hostilePayload(keys: readonly string[] = HOSTILE_KEYS): string {
  const [data] = scanMessages(1, new Date(T0));
  const value = JSON.parse(data!.payload) as Record<string, unknown>;
  for (const [i, key] of keys.entries()) value[key] = i;
  return JSON.stringify(value);
}

describe('wire text reaches the terminal escaped (issue 9 item 5)', () => {
  it.each(['pretty', 'summary'] as const)(
    '%s mode: unknown keys with ESC[2J, an OSC title and a CR are shown escaped, never raw',
    (mode) => {
      const expected = [
        '\\x1b[2J',
        '\\x1b]0;owned\\x07',
        'x\\r2025-01-15T08:00:00.000Z  INFO  all fine',
      ];
      for (const colour of [false, true]) {
        const { viewer, messages } = setup(mode, colour);
        // One key per message: each is the first problem, so it is named in path and message.
        for (const key of HOSTILE_KEYS)
          viewer.handleMessage(received('plc/bottlefiller/data', hostilePayload([key])), T0);
        expect(messages).toHaveLength(3);
        for (const [i, text] of messages.entries()) {
          const line = uncoloured(text);
          expect(line).not.toMatch(RAW_CONTROL);
          expect(line).not.toContain('\n');
          expect(line).toContain(`${expected[i]!}: unknown field ${expected[i]!}`);
        }
      }
    },
  );

  it('NDJSON mode stays valid JSON with the keys intact and no raw control character', () => {
    const { viewer, messages } = setup('ndjson');
    viewer.handleMessage(received('plc/bottlefiller/data', hostilePayload()), T0);
    const [line] = messages;
    expect(line).not.toMatch(RAW_CONTROL);
    const record = JSON.parse(line!) as { error: { path: string; message: string } };
    expect(HOSTILE_KEYS.some((k) => record.error.path === k)).toBe(true);
  });

  it('a topic holding control characters is escaped in the invalid-message line and in the statistics', () => {
    const { viewer, messages, logs } = setup('pretty');
    const topic = 'plc/bottlefiller/\u001b]0;owned\u0007/data';
    viewer.handleMessage(received(topic, '{}'), T0);
    expect(uncoloured(messages[0]!)).not.toMatch(RAW_CONTROL);
    expect(messages[0]).toContain('\\x1b]0;owned\\x07');
    viewer.reportStats(T0 + 1000);
    expect(logs.join('\n')).not.toMatch(RAW_CONTROL);
    expect(logs.join('\n')).toContain('\\x1b]0;owned\\x07');
  });

  it('raw C1 and DEL characters in an otherwise valid payload never reach NDJSON output raw', () => {
    const { viewer, messages } = setup('ndjson');
    const [data] = scanMessages(1, new Date(T0));
    // JSON allows raw U+009B (a one-character CSI) inside strings; a duplicate key hides it from
    // validation (JSON.parse keeps the last value), but the text is passed on as received.
    const payload = data!.payload.replace(
      '"machineId":"filler-01"',
      '"machineId":"\u009b2J\u007f","machineId":"filler-01"',
    );
    viewer.handleMessage(received(data!.topic, payload), T0);
    expect(messages[0]).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(messages[0]!)).toMatchObject({ machineId: 'filler-01', sequence: 1 });
  });
});

describe('machine tracking is bounded (issue 9 item 2)', () => {
  it('invalid messages on random machine topics create no per-machine state', () => {
    const { viewer } = setup('ndjson');
    for (let i = 0; i < 5000; i++)
      viewer.handleMessage(received(`plc/bottlefiller/m${i}x${Math.random()}/data`, 'x'), T0 + i);
    expect(viewer.tracker.totals()).toMatchObject({ machines: 0, invalid: 5000 });
    expect(viewer.tracker.stats(T0 + 5000)).toEqual([]);
  });

  it('says once that it stops tracking new machines at the limit, and keeps showing their messages', () => {
    const { viewer, messages, logs } = setup('ndjson', false, { maxMachines: 100 });
    const tags = exampleTags();
    for (let i = 0; i < 300; i++) {
      const [data] = encodeScan(tags, {
        machineId: `spoof-${i}`,
        sequence: 1,
        timestamp: new Date(T0),
        includeMachineLevel: true,
      });
      viewer.handleMessage(received(data!.topic, data!.payload), T0 + 5);
    }
    expect(messages).toHaveLength(300);
    expect(viewer.tracker.totals()).toMatchObject({ machines: 100, untracked: 200 });
    const limit = logs.filter((l) => l.includes('"machine-limit"'));
    expect(limit).toHaveLength(1);
    expect(JSON.parse(limit[0]!)).toMatchObject({
      event: 'machine-limit',
      level: 'warn',
      limit: 100,
      machineId: 'spoof-100',
    });
  });
});

describe('statistics after invalid messages (issue 9 item 10)', () => {
  it('does not say "no messages yet" when invalid messages arrived; says how many and where', () => {
    const { viewer, logs } = setup('summary');
    viewer.handleMessage(received('plc/bottlefiller/data', 'not json'), T0);
    viewer.handleMessage(received('plc/bottlefiller/alarms', 'not json'), T0);
    viewer.reportStats(T0 + 1000);
    const text = logs.join('\n');
    expect(text).not.toContain('no messages yet');
    expect(text).toContain('no valid messages yet on plc/bottlefiller/#: 2 invalid');
    expect(text).toContain('plc/bottlefiller/alarms');
  });
});

describe('one spoofed message does not blind gap detection (issue 9 item 7)', () => {
  it('a scan with sequence 2^53−1 and year 9999 is reported suspect; later real scans are neither late nor missing', () => {
    const { viewer, logs } = setup('ndjson');
    const feed = (sequence: number, timestamp = new Date(T0 + sequence * 2000)) => {
      for (const m of scanMessages(sequence, timestamp))
        viewer.handleMessage(received(m.topic, m.payload), T0 + sequence * 2000 + 5);
    };
    for (let s = 1; s <= 3; s++) feed(s);
    const [spoof] = encodeScan(exampleTags(), {
      machineId: 'filler-01',
      sequence: Number.MAX_SAFE_INTEGER,
      timestamp: '9999-12-31T23:59:59.999Z',
    });
    viewer.handleMessage(received(spoof!.topic, spoof!.payload), T0 + 7000);
    for (let s = 4; s <= 6; s++) feed(s);
    feed(9);
    const events = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.filter((e) => e['event'] === 'suspect')).toEqual([
      expect.objectContaining({
        reason: 'future-timestamp',
        sequence: Number.MAX_SAFE_INTEGER,
        baseline: 3,
      }),
    ]);
    expect(events.filter((e) => e['event'] === 'late')).toEqual([]);
    expect(events.filter((e) => e['event'] === 'gap')).toEqual([
      expect.objectContaining({ from: 7, to: 8, missing: 2 }),
    ]);
    expect(viewer.tracker.stats(T0 + 20_000)[0]).toMatchObject({
      missing: 2,
      late: 0,
      suspect: 1,
    });
  });
});
