import { describe, expect, it } from 'vitest';
import { controlTopicKind, decodeControlMessage } from './decode-control-message.js';

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const message = (topic: string, payload: unknown) => ({
  topic,
  payload: bytes(payload),
  qos: 1,
  retain: false,
  dup: false,
});

describe('control-path topics', () => {
  it.each([
    ['plc/bottlefiller/command', { kind: 'command', machineId: undefined }],
    ['plc/bottlefiller/filler-07/command', { kind: 'command', machineId: 'filler-07' }],
    ['plc/bottlefiller/command/reply', { kind: 'command-reply', machineId: undefined }],
    ['plc/bottlefiller/f1/command/reply/s-9', { kind: 'command-reply', machineId: 'f1' }],
    ['plc/bottlefiller/f1/packml', { kind: 'packml', machineId: 'f1' }],
    ['plc/bottlefiller/alarms/events', { kind: 'alarm-event', machineId: undefined }],
    ['plc/bottlefiller/data', undefined],
    ['plc/bottlefiller/alarms', undefined],
    ['plc/bottlefiller/a b/command', undefined],
    ['other/command', undefined],
  ])('%s → %j', (topic, expected) => {
    expect(controlTopicKind(topic)).toEqual(expected);
  });

  it('decodes a command, a reply and refuses a malformed command keeping its requestId', () => {
    expect(
      decodeControlMessage(
        message('plc/bottlefiller/command', { command: 'reset', requestId: 'a' }),
        5,
      ),
    ).toMatchObject({ kind: 'command', ok: true, command: { command: 'reset' }, receivedAt: 5 });
    const reply = {
      requestId: 'a',
      accepted: true,
      state: { SystemRunning: false, Filling: false, Ready: true, Fault: false, AutoMode: true },
    };
    expect(decodeControlMessage(message('plc/bottlefiller/command/reply', reply), 5)).toMatchObject(
      {
        kind: 'command-reply',
        ok: true,
        reply,
      },
    );
    expect(
      decodeControlMessage(
        message('plc/bottlefiller/command', { command: 'fly', requestId: 'b' }),
        5,
      ),
    ).toMatchObject({ kind: 'command', ok: false, requestId: 'b' });
    expect(
      decodeControlMessage(message('plc/bottlefiller/command/reply', { requestId: 1 }), 5),
    ).toMatchObject({
      ok: false,
    });
    expect(decodeControlMessage(message('plc/bottlefiller/data', '{}'), 5)).toBeUndefined();
  });

  it('validates alarm events against the tag model and names what is wrong', () => {
    const event = {
      schemaVersion: 1,
      timestamp: '2026-11-30T08:00:00.000Z',
      machineId: 'filler-02',
      alarm: 'Overfill',
      event: 'raised',
      state: 'unacknowledged-active',
      firstOut: true,
    };
    expect(
      decodeControlMessage(message('plc/bottlefiller/filler-02/alarms/events', event), 5),
    ).toMatchObject({ kind: 'alarm-event', ok: true, machineId: 'filler-02', event });
    expect(
      decodeControlMessage(
        message('plc/bottlefiller/alarms/events', { ...event, state: 'shelved' }),
        5,
      ),
    ).toMatchObject({ kind: 'alarm-event', ok: false, error: expect.stringMatching(/^state: /u) });
  });
});
