import { describe, expect, it } from 'vitest';
import type { ViewerMode } from './config.js';
import { received, testViewer } from './fixtures.test-helper.js';

// Issue 12: the viewer shows the commands and replies it sees, one line each.
const T0 = Date.parse('2025-06-02T08:00:00.000Z');
const STATE = { SystemRunning: true, Filling: false, Ready: true, Fault: false, AutoMode: true };

function setup(mode: ViewerMode) {
  const { viewer, messages, logs } = testViewer(mode);
  const send = (topic: string, payload: unknown, retain = false) =>
    viewer.handleMessage(
      received(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { retain }),
      T0,
    );
  return { viewer, messages, logs, send };
}

describe('commands and replies in the viewer', () => {
  it('shows a command and its reply, one line each, for single fillers and fleets', () => {
    const { messages, send, viewer } = setup('pretty');
    send('plc/bottlefiller/command', { command: 'start', requestId: 'hmi-1' });
    send('plc/bottlefiller/command/reply', { requestId: 'hmi-1', accepted: true, state: STATE });
    send('plc/bottlefiller/filler-07/command', {
      command: 'inject-fault',
      fault: 'jamValve',
      requestId: 'hmi-2',
    });
    send('plc/bottlefiller/filler-07/command/reply/hmi-session-3', {
      requestId: 'hmi-2',
      accepted: false,
      reason: 'reset the fault first',
      state: { ...STATE, SystemRunning: false, Fault: true },
    });
    expect(messages).toEqual([
      '2025-06-02T08:00:00.000Z  ⇢ command plc/bottlefiller/command  start  requestId "hmi-1"',
      '2025-06-02T08:00:00.000Z  ⇠ reply   plc/bottlefiller/command/reply  requestId "hmi-1" accepted — RUNNING',
      '2025-06-02T08:00:00.000Z  ⇢ command plc/bottlefiller/filler-07/command  inject-fault jamValve  requestId "hmi-2"',
      '2025-06-02T08:00:00.000Z  ⇠ reply   plc/bottlefiller/filler-07/command/reply/hmi-session-3  requestId "hmi-2" refused: reset the fault first — FAULTED',
    ]);
    // Commands are not scans: no invalid count, no machine created.
    expect(viewer.tracker.totals()).toMatchObject({ invalid: 0, machines: 0 });
  });

  it('shows the PackML state and names a malformed command with its requestId', () => {
    const { messages, send } = setup('summary');
    send(
      'plc/bottlefiller/packml',
      {
        schemaVersion: 1,
        timestamp: '2025-06-02T08:00:00.000Z',
        machineId: 'filler-01',
        sequence: 12,
        state: 'Execute',
        stateCode: 6,
        mode: 'Production',
        modeCode: 1,
        stopReason: null,
      },
      true,
    );
    send('plc/bottlefiller/command', { command: 'strat', requestId: 'r1' });
    expect(messages[0]).toBe(
      '2025-06-02T08:00:00.000Z  PackML    plc/bottlefiller/packml  filler-01 Execute (6), Production (retained)',
    );
    expect(messages[1]).toMatch(
      /^2025-06-02T08:00:00\.000Z {2}✗ invalid command plc\/bottlefiller\/command: command: .*\(requestId "r1"\)$/u,
    );
  });

  it('writes commands and replies as NDJSON records with kind, machineId and payload', () => {
    const { messages, send } = setup('ndjson');
    send('plc/bottlefiller/filler-07/command', { command: 'stop', requestId: 'x' });
    send('plc/bottlefiller/filler-07/command/reply', '{"requestId":"x"');
    expect(messages.map((m) => JSON.parse(m) as unknown)).toEqual([
      {
        topic: 'plc/bottlefiller/filler-07/command',
        receivedAt: '2025-06-02T08:00:00.000Z',
        kind: 'command',
        machineId: 'filler-07',
        retain: false,
        payload: { command: 'stop', requestId: 'x' },
      },
      {
        topic: 'plc/bottlefiller/filler-07/command/reply',
        receivedAt: '2025-06-02T08:00:00.000Z',
        kind: 'command-reply',
        machineId: 'filler-07',
        retain: false,
        error: { message: 'payload is not UTF-8 JSON' },
      },
    ]);
  });

  it('escapes a hostile reason in a reply', () => {
    const { messages, send } = setup('pretty');
    send('plc/bottlefiller/command/reply', {
      requestId: 'r',
      accepted: false,
      reason: 'no\u001b[2J\rforged',
      state: STATE,
    });
    expect(messages[0]).toContain('refused: no\\x1b[2J\\rforged');
  });
});
