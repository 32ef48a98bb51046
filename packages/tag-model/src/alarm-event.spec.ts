import { describe, expect, it } from 'vitest';
import { AlarmEventPayloadSchema, alarmEventsTopic, parseWriteTopic } from './index.js';

const raised = {
  schemaVersion: 1,
  timestamp: '2026-11-30T08:00:00.000Z',
  machineId: 'filler-01',
  alarm: 'Overfill',
  event: 'raised',
  state: 'unacknowledged-active',
  firstOut: true,
  raisedAt: '2026-11-30T08:00:00.000Z',
} as const;

describe('alarm event payload', () => {
  it('accepts raise, acknowledge (with the user) and clear events', () => {
    expect(AlarmEventPayloadSchema.safeParse(raised).success).toBe(true);
    const ack = { ...raised, event: 'acknowledged', state: 'acknowledged-active', user: 'op-1' };
    expect(AlarmEventPayloadSchema.safeParse(ack).success).toBe(true);
    const clear = { ...raised, event: 'cleared', state: 'unacknowledged-returned-to-normal' };
    expect(AlarmEventPayloadSchema.safeParse(clear).success).toBe(true);
  });

  it('names what is wrong: an unknown alarm, state or event, an extra field', () => {
    const issue = (payload: unknown) =>
      AlarmEventPayloadSchema.safeParse(payload).error?.issues[0]?.message;
    expect(issue({ ...raised, alarm: 'Fire' })).toMatch(/LowProductLevel, Overfill/u);
    expect(issue({ ...raised, state: 'shelved' })).toMatch(/unacknowledged-active/u);
    expect(issue({ ...raised, event: 'suppressed' })).toMatch(/raised, acknowledged, cleared/u);
    expect(AlarmEventPayloadSchema.safeParse({ ...raised, extra: 1 }).success).toBe(false);
  });

  it('is published beside the machine topics, not among the write-path topics', () => {
    expect(alarmEventsTopic()).toBe('plc/bottlefiller/alarms/events');
    expect(alarmEventsTopic({ machineId: 'filler-02', root: 'site/a' })).toBe(
      'site/a/filler-02/alarms/events',
    );
    expect(() => alarmEventsTopic({ machineId: 'bad/id' })).toThrow(TypeError);
    expect(parseWriteTopic('plc/bottlefiller/alarms/events')).toBeUndefined();
  });
});
