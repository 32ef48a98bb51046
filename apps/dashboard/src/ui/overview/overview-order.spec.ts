import { describe, expect, it } from 'vitest';
import type { MachineSnapshot } from '../../live/fleet-store.js';
import { orderMachines, summarise } from './overview-order.js';

const machine = (machineId: string, patch: Partial<MachineSnapshot> = {}): MachineSnapshot => ({
  machineId,
  topicHasMachineLevel: true,
  scan: undefined,
  receivedAt: 1000,
  connection: 'online',
  intervalMs: 2000,
  state: 'running',
  activeAlarms: [],
  missedScans: 0,
  invalidPayloads: 0,
  lastProblem: undefined,
  packml: undefined,
  ...patch,
});

describe('orderMachines', () => {
  const fleet = [
    machine('filler-0010'),
    machine('filler-0002', { state: 'faulted' }),
    machine('filler-0003', { connection: 'offline' }),
    machine('filler-0004', { receivedAt: -10_000 }),
    machine('filler-0001', { activeAlarms: ['Overfill'] }),
  ];
  const query = { text: '', state: 'all', sort: 'attention', descending: false } as const;

  it('puts what needs an operator first: offline, faulted, stale, alarms, then the rest by id', () => {
    expect(orderMachines(fleet, query, 2000, true)).toEqual([
      'filler-0003',
      'filler-0002',
      'filler-0004',
      'filler-0001',
      'filler-0010',
    ]);
  });

  it('filters by text and state; sorts by id in natural order', () => {
    expect(orderMachines(fleet, { ...query, text: '000' }, 2000, true)).toHaveLength(4);
    expect(orderMachines(fleet, { ...query, state: 'stale' }, 2000, true)).toEqual(['filler-0004']);
    expect(
      orderMachines(fleet, { ...query, sort: 'machine', descending: true }, 2000, true)[0],
    ).toBe('filler-0010');
  });

  it('summarises the fleet', () => {
    expect(summarise(fleet, 2000, true)).toMatchObject({
      total: 5,
      faulted: 1,
      offline: 1,
      stale: 1,
      alarm: 1,
    });
  });
});
