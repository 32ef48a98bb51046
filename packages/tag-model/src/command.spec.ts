import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  COMMANDS,
  CommandReplySchema,
  CommandSchema,
  PACKML_STATES,
  PackmlPayloadSchema,
  commandReplyTopic,
  commandTopic,
  packmlTopic,
  parseCommand,
  parseWriteTopic,
} from './index.js';

const shipped = (name: string) =>
  z.fromJSONSchema(
    JSON.parse(
      readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8'),
    ) as z.core.JSONSchema.JSONSchema,
  );

describe('command payload', () => {
  it.each(COMMANDS.filter((c) => c !== 'inject-fault'))(
    'accepts %s with a requestId, under zod and the shipped JSON Schema',
    (command) => {
      const payload = { command, requestId: 'hmi-1' };
      expect(CommandSchema.parse(payload)).toEqual(payload);
      expect(shipped('command').safeParse(payload).success).toBe(true);
    },
  );

  it('accepts inject-fault with a fault, and clear-fault with or without one', () => {
    for (const payload of [
      { command: 'inject-fault', fault: 'jamValve', requestId: 'r' },
      { command: 'clear-fault', fault: 'emptyTank', requestId: 'r' },
      { command: 'clear-fault', requestId: 'r' },
    ]) {
      expect(CommandSchema.safeParse(payload).success, JSON.stringify(payload)).toBe(true);
    }
  });

  it.each([
    ['an unknown command', { command: 'strat', requestId: 'r' }],
    ['no requestId', { command: 'start' }],
    ['an empty requestId', { command: 'start', requestId: '' }],
    ['a requestId over 128 characters', { command: 'start', requestId: 'x'.repeat(129) }],
    ['an unknown fault', { command: 'inject-fault', fault: 'fire', requestId: 'r' }],
    ['an extra field', { command: 'start', requestId: 'r', speed: 3 }],
  ])('rejects %s under zod and the shipped JSON Schema', (_case, payload) => {
    expect(CommandSchema.safeParse(payload).success).toBe(false);
    expect(shipped('command').safeParse(payload).success).toBe(false);
  });

  it('rejects inject-fault without a fault and a fault on any other command', () => {
    expect(CommandSchema.safeParse({ command: 'inject-fault', requestId: 'r' }).success).toBe(
      false,
    );
    expect(
      CommandSchema.safeParse({ command: 'start', fault: 'jamValve', requestId: 'r' }).success,
    ).toBe(false);
  });
});

describe('parseCommand', () => {
  it('returns the command of a valid payload, from bytes or text', () => {
    const text = '{"command":"inject-fault","fault":"missCap","requestId":"a-1"}';
    const expected = { command: 'inject-fault', fault: 'missCap', requestId: 'a-1' };
    expect(parseCommand(text)).toEqual({ ok: true, command: expected });
    expect(parseCommand(new TextEncoder().encode(text))).toEqual({ ok: true, command: expected });
  });

  it.each([
    ['{"command":"strat","requestId":"r1"}', 'command: must be one of start, stop, reset'],
    ['{"requestId":"r1"}', 'missing command'],
    ['{"command":"start","requestId":"r1","x":1}', 'unknown field x'],
    ['{"command":"inject-fault","requestId":"r1"}', 'fault: inject-fault needs one of emptyTank'],
    ['{"command":"stop","fault":"jamValve","requestId":"r1"}', 'fault: only inject-fault'],
  ])('names the problem of %s and keeps its requestId', (text, problem) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(problem);
    expect(result.requestId).toBe('r1');
  });

  it.each([
    ['not JSON', 'start please', 'payload is not JSON'],
    ['a JSON array', '["start"]', 'payload must be a JSON object'],
    ['a JSON string', '"start"', 'payload must be a JSON object'],
    ['no requestId', '{"command":"start"}', 'missing requestId'],
    ['a numeric requestId', '{"command":"start","requestId":7}', 'requestId: '],
    ['too large a payload', `{"command":"start","requestId":"${'x'.repeat(5000)}"}`, 'too large'],
  ])('never throws on %s: it says what is wrong, with no requestId', (_case, text, problem) => {
    const result = parseCommand(text);
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.error).toContain(problem);
    expect(result.requestId).toBeUndefined();
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(parseCommand(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({
      ok: false,
      error: 'payload is not UTF-8 text',
    });
  });
});

describe('command topics', () => {
  it('puts command, reply and PackML state beside the seven data topics, per machine in a fleet', () => {
    expect(commandTopic()).toBe('plc/bottlefiller/command');
    expect(commandReplyTopic()).toBe('plc/bottlefiller/command/reply');
    expect(packmlTopic()).toBe('plc/bottlefiller/packml');
    expect(commandTopic({ machineId: 'filler-0042' })).toBe('plc/bottlefiller/filler-0042/command');
    expect(commandReplyTopic({ root: 'site/line-3', machineId: 'f2' })).toBe(
      'site/line-3/f2/command/reply',
    );
    expect(packmlTopic({ machineId: 'f2' })).toBe('plc/bottlefiller/f2/packml');
  });

  it('tells write-path topics from data topics, with and without a machine level', () => {
    expect(parseWriteTopic('plc/bottlefiller/command')).toEqual({ kind: 'command' });
    expect(parseWriteTopic('plc/bottlefiller/command/reply')).toEqual({ kind: 'command-reply' });
    expect(parseWriteTopic('plc/bottlefiller/f2/packml')).toEqual({
      kind: 'packml',
      machineId: 'f2',
    });
    expect(parseWriteTopic('site/l3/f2/command/reply', 'site/l3')).toEqual({
      kind: 'command-reply',
      machineId: 'f2',
    });
    for (const other of [
      'plc/bottlefiller/data',
      'plc/bottlefiller/f2/status',
      'plc/other/command',
      'plc/bottlefiller/a/b/command',
      'plc/bottlefiller/command/reply/x',
    ]) {
      expect(parseWriteTopic(other), other).toBeUndefined();
    }
  });

  it('refuses a machine id or root that cannot be a topic level', () => {
    expect(() => commandTopic({ machineId: 'a/b' })).toThrow(/machineId/);
    expect(() => packmlTopic({ root: 'plc/#' })).toThrow(/root/);
  });
});

describe('command reply and PackML payloads', () => {
  const status = {
    SystemRunning: false,
    Filling: false,
    Ready: false,
    Fault: true,
    AutoMode: true,
  };
  const packml = {
    state: 'Aborted',
    stateCode: 9,
    mode: 'Production',
    modeCode: 1,
    stopReason: { code: 10, text: 'overfill' },
  } as const;

  it('accepts a refusal with its reason, the status tags and the PackML state', () => {
    const reply = {
      requestId: 'r1',
      accepted: false,
      reason: 'reset the fault first',
      state: status,
      packml,
      machineId: 'filler-01',
      timestamp: '2025-01-15T08:30:00.000Z',
    };
    expect(CommandReplySchema.parse(reply)).toEqual(reply);
    expect(shipped('command-reply').safeParse(reply).success).toBe(true);
  });

  it('uses the PackTags state numbers of ISA-TR88.00.02: its 18 states, numbered 0-17 in order', () => {
    const standard =
      'Undefined Clearing Stopped Starting Idle Suspended Execute Stopping Aborting Aborted ' +
      'Holding Held Unholding Suspending Unsuspending Resetting Completing Complete';
    expect(Object.entries(PACKML_STATES)).toEqual(
      standard.split(' ').map((state, code) => [state, code]),
    );
  });

  it('rejects a PackML payload whose code contradicts its state name', () => {
    const payload = {
      schemaVersion: 1,
      timestamp: '2025-01-15T08:30:00.000Z',
      machineId: 'filler-01',
      sequence: 3,
      ...packml,
    };
    expect(PackmlPayloadSchema.safeParse(payload).success).toBe(true);
    expect(shipped('packml').safeParse(payload).success).toBe(true);
    const wrong = PackmlPayloadSchema.safeParse({ ...payload, stateCode: 6 });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.message).toBe('stateCode 6 is not Aborted (9)');
  });
});
