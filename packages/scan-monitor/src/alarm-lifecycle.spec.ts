import type { Alarms } from '@ot-mqtt/tag-model';
import { describe, expect, it } from 'vitest';
import { createAlarmLifecycle, type AlarmName } from './alarm-lifecycle.js';

const T0 = Date.parse('2025-06-02T08:00:00.000Z');
const QUIET: Alarms = {
  LowProductLevel: false,
  Overfill: false,
  Underfill: false,
  NoBottle: false,
  CapMissing: false,
};
const scan = (...active: AlarmName[]): Alarms => ({
  ...QUIET,
  ...Object.fromEntries(active.map((a) => [a, true])),
});
const record = (l: ReturnType<typeof createAlarmLifecycle>, alarm: AlarmName) =>
  l.records('filler-01').find((r) => r.alarm === alarm)!;

describe('ISA-18.2 alarm lifecycle', () => {
  it('ack before clear: normal → unacknowledged-active → acknowledged-active → normal, with times and user', () => {
    const alarms = createAlarmLifecycle();
    expect(alarms.update('filler-01', QUIET, T0)).toEqual([]);
    expect(alarms.update('filler-01', scan('Overfill'), T0 + 1000)).toEqual([
      {
        type: 'raised',
        machineId: 'filler-01',
        alarm: 'Overfill',
        state: 'unacknowledged-active',
        at: T0 + 1000,
        firstOut: true,
      },
    ]);
    expect(alarms.acknowledge('filler-01', 'Overfill', 'operator-1', T0 + 5000)).toMatchObject({
      ok: true,
      event: {
        type: 'acknowledged',
        state: 'acknowledged-active',
        user: 'operator-1',
        at: T0 + 5000,
      },
    });
    // The tag is latched: acknowledging did not clear it, later scans keep it active.
    alarms.update('filler-01', scan('Overfill'), T0 + 6000);
    expect(record(alarms, 'Overfill')).toMatchObject({
      state: 'acknowledged-active',
      active: true,
      clearedAt: undefined,
    });
    // Only the PLC reset (the tag going false) clears it.
    expect(alarms.update('filler-01', QUIET, T0 + 9000)).toEqual([
      expect.objectContaining({
        type: 'cleared',
        alarm: 'Overfill',
        state: 'normal',
        at: T0 + 9000,
      }),
    ]);
    expect(record(alarms, 'Overfill')).toEqual({
      machineId: 'filler-01',
      alarm: 'Overfill',
      state: 'normal',
      active: false,
      raisedAt: T0 + 1000,
      acknowledgedAt: T0 + 5000,
      acknowledgedBy: 'operator-1',
      clearedAt: T0 + 9000,
      firstOut: true,
    });
  });

  it('clear before ack: unacknowledged-returned-to-normal until acknowledged, then normal', () => {
    const alarms = createAlarmLifecycle();
    alarms.update('filler-01', scan('NoBottle'), T0);
    expect(alarms.update('filler-01', QUIET, T0 + 2000)).toEqual([
      expect.objectContaining({
        type: 'cleared',
        alarm: 'NoBottle',
        state: 'unacknowledged-returned-to-normal',
      }),
    ]);
    expect(record(alarms, 'NoBottle')).toMatchObject({
      state: 'unacknowledged-returned-to-normal',
      clearedAt: T0 + 2000,
      acknowledgedAt: undefined,
    });
    expect(alarms.acknowledge('filler-01', 'NoBottle', 'shift-lead', T0 + 4000)).toMatchObject({
      ok: true,
      record: { state: 'normal', acknowledgedBy: 'shift-lead' },
    });
  });

  it('an alarm that returns before it is acknowledged is a new unacknowledged occurrence', () => {
    const alarms = createAlarmLifecycle();
    alarms.update('filler-01', scan('Underfill'), T0);
    alarms.update('filler-01', QUIET, T0 + 1000);
    expect(alarms.update('filler-01', scan('Underfill'), T0 + 2000)).toEqual([
      expect.objectContaining({ type: 'raised', state: 'unacknowledged-active', at: T0 + 2000 }),
    ]);
    expect(record(alarms, 'Underfill')).toMatchObject({
      raisedAt: T0 + 2000,
      clearedAt: undefined,
    });
  });

  it('first-out: the alarm that opened the cascade, not the ones that followed', () => {
    const alarms = createAlarmLifecycle();
    alarms.update('filler-01', scan('LowProductLevel'), T0);
    const later = alarms.update(
      'filler-01',
      scan('LowProductLevel', 'Underfill', 'NoBottle'),
      T0 + 1000,
    );
    expect(later.map((e) => [e.alarm, e.firstOut])).toEqual([
      ['Underfill', false],
      ['NoBottle', false],
    ]);
    expect(record(alarms, 'LowProductLevel').firstOut).toBe(true);
    // Acknowledged and cleared: the machine is quiet again, the next alarm opens a new cascade.
    for (const a of ['LowProductLevel', 'Underfill', 'NoBottle'] as const)
      alarms.acknowledge('filler-01', a, 'op', T0 + 2000);
    alarms.update('filler-01', QUIET, T0 + 3000);
    expect(alarms.update('filler-01', scan('CapMissing'), T0 + 4000)[0]?.firstOut).toBe(true);
  });

  it('alarms raised in the same scan are first-out together', () => {
    const alarms = createAlarmLifecycle();
    const events = alarms.update('filler-01', scan('Overfill', 'CapMissing'), T0);
    expect(events.map((e) => [e.alarm, e.firstOut])).toEqual([
      ['Overfill', true],
      ['CapMissing', true],
    ]);
  });

  it('refuses to acknowledge what is not unacknowledged, an unknown alarm or machine, without changing anything', () => {
    const alarms = createAlarmLifecycle();
    alarms.update('filler-01', scan('Overfill'), T0);
    expect(alarms.acknowledge('filler-09', 'Overfill', 'op', T0)).toEqual({
      ok: false,
      reason: 'unknown-machine',
    });
    expect(alarms.acknowledge('filler-01', 'Overheat', 'op', T0)).toEqual({
      ok: false,
      reason: 'unknown-alarm',
    });
    expect(alarms.acknowledge('filler-01', 'NoBottle', 'op', T0)).toMatchObject({
      ok: false,
      reason: 'not-unacknowledged',
      record: { state: 'normal' },
    });
    alarms.acknowledge('filler-01', 'Overfill', 'first', T0 + 1);
    expect(alarms.acknowledge('filler-01', 'Overfill', 'second', T0 + 2)).toMatchObject({
      ok: false,
      record: { acknowledgedBy: 'first' },
    });
  });

  it('ignores a scan older than the last one, keeps machines apart and starts from journal records', () => {
    const alarms = createAlarmLifecycle();
    alarms.update('filler-01', scan('Overfill'), T0 + 1000);
    expect(alarms.update('filler-01', QUIET, T0)).toEqual([]);
    alarms.update('filler-02', scan('NoBottle'), T0);
    expect(
      alarms
        .records()
        .filter((r) => r.state !== 'normal')
        .map((r) => [r.machineId, r.alarm]),
    ).toEqual([
      ['filler-01', 'Overfill'],
      ['filler-02', 'NoBottle'],
    ]);
    const restored = createAlarmLifecycle({ initial: alarms.records() });
    expect(restored.acknowledge('filler-02', 'NoBottle', 'op', T0 + 5)).toMatchObject({ ok: true });
  });
});
