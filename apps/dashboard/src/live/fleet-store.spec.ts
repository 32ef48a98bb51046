import { encodeConnection, encodeScan } from '@ot-mqtt/tag-model';
import { createBottleFiller } from '@ot-mqtt/plc-sim';
import { describe, expect, it } from 'vitest';
import { freshnessOf } from './freshness.js';
import { FleetStore } from './fleet-store.js';

function dataMessage(
  machineId: string,
  sequence: number,
  fleet = true,
  timestamp = 1_700_000_000_000 + sequence * 2000,
) {
  const filler = createBottleFiller({ machineId });
  filler.step(3_000 + sequence * 100);
  const messages = encodeScan(filler.snapshot(), {
    machineId,
    sequence,
    timestamp: new Date(timestamp),
    includeMachineLevel: fleet,
  });
  return messages.find((m) => m.topic.endsWith('/data'))!;
}

/** filler-0001 as the page shows it after these scans: [sequence, received at, sent at?]. */
function viewAfter(scans: ReadonlyArray<readonly [number, number, number?]>) {
  const store = new FleetStore();
  for (const [sequence, at, sentAt] of scans) {
    const m = dataMessage('filler-0001', sequence, true, sentAt);
    store.ingest(m.topic, m.payload, at);
  }
  store.flush();
  return store.machine('filler-0001')!.value;
}

describe('FleetStore', () => {
  it('renders nothing until flushed, then one signal per machine changes', () => {
    const store = new FleetStore();
    const m = dataMessage('filler-0001', 1);
    store.ingest(m.topic, m.payload, 1000);
    expect(store.ids.value).toEqual([]);
    store.flush();
    expect(store.ids.value).toEqual(['filler-0001']);
    const view = store.machine('filler-0001')!;
    expect(view.value.scan?.sequence).toBe(1);
    expect(view.value.state).toBe('running');
    expect(view.value.topicHasMachineLevel).toBe(true);
  });

  // Scans are received 20 ms after their embedded timestamp (dataMessage: 2 s per sequence).
  const receivedAt = (sequence: number) => 1_700_000_000_000 + sequence * 2000 + 20;

  it('counts missed scans from sequence gaps and learns the interval (scan-monitor)', () => {
    const view = viewAfter([1, 2, 3, 6].map((seq) => [seq, receivedAt(seq)] as const));
    expect(view.missedScans).toBe(2);
    expect(view.intervalMs).toBe(2000);
    expect(view.scan?.sequence).toBe(6);
  });

  it('a late scan fills its gap and a redelivery is not shown over the newer scan', () => {
    // All five arrive together, when sequence 4 was due.
    const view = viewAfter([1, 2, 4, 3, 4].map((seq) => [seq, receivedAt(4)] as const));
    expect(view.missedScans).toBe(0);
    expect(view.scan?.sequence).toBe(4);
  });

  it('an agent restart (sequence back to 0, newer time) is not a gap', () => {
    const view = viewAfter([
      [40, receivedAt(40)],
      [41, receivedAt(41)],
      [0, receivedAt(50), receivedAt(50) - 20],
    ]);
    expect(view.missedScans).toBe(0);
    expect(view.scan?.sequence).toBe(0);
  });

  it('an invalid payload is a problem in words, the machine keeps its last good values', () => {
    const store = new FleetStore();
    const m = dataMessage('filler-0001', 1);
    store.ingest(m.topic, m.payload, 0);
    store.ingest('plc/bottlefiller/filler-0001/data', '{"schemaVersion":1', 10);
    store.ingest('plc/bottlefiller/filler-0001/data', new Uint8Array([0xc3, 0x28]), 11);
    store.flush();
    expect(store.problems.value.map((p) => p.message)).toEqual([
      expect.stringContaining('not UTF-8'),
      expect.stringContaining('not JSON'),
    ]);
    expect(store.machine('filler-0001')!.value.scan?.sequence).toBe(1);
    expect(store.machine('filler-0001')!.value.invalidPayloads).toBe(2);
  });

  it('the retained offline status and the announced interval decide freshness', () => {
    const store = new FleetStore();
    const m = dataMessage('filler-0001', 1, false);
    store.ingest(m.topic, m.payload, 0);
    const online = encodeConnection('online', {
      machineId: 'filler-0001',
      timestamp: new Date(0),
      publishIntervalMs: 500,
    });
    store.ingest(online.topic, online.payload, 1);
    store.flush();
    const v = store.machine('filler-0001')!.value;
    expect(v.intervalMs).toBe(500);
    expect(freshnessOf(v, 900, true)).toBe('live');
    expect(freshnessOf(v, 1100, true)).toBe('stale');
    expect(freshnessOf(v, 10, false)).toBe('stale');
    const offline = encodeConnection('offline', {
      machineId: 'filler-0001',
      timestamp: new Date(0),
    });
    store.ingest(offline.topic, offline.payload, 2);
    store.flush();
    expect(freshnessOf(store.machine('filler-0001')!.value, 3, true)).toBe('offline');
  });

  it('refuses machines beyond its bound instead of growing without limit', () => {
    const store = new FleetStore({ maxMachines: 2 });
    for (const id of ['a-1', 'a-2', 'a-3', 'a-4']) {
      const m = dataMessage(id, 1);
      store.ingest(m.topic, m.payload, 0);
    }
    store.flush();
    expect(store.ids.value).toEqual(['a-1', 'a-2']);
    expect(store.refusedMachines).toBe(2);
    expect(store.problems.value[0]?.message).toContain('more than 2 machines');
  });
});
