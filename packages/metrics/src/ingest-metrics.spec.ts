import { describe, expect, it } from 'vitest';
import { createIngestMetrics } from './ingest-metrics.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { valueOf } from './metric-values.test-helper.js';

const setup = (maxMachines?: number) => {
  const registry = createMetricsRegistry({ app: 'viewer', processMetrics: false });
  const metrics = createIngestMetrics({
    registry,
    ...(maxMachines === undefined ? {} : { maxMachines }),
  });
  return { registry, metrics };
};

describe('ingest metrics', () => {
  it('counts messages per machine and observes end-to-end latency from the scan timestamp', async () => {
    const { registry, metrics } = setup();
    metrics.message('filler-1', 10_050, 10_000);
    metrics.message('filler-1', 11_020, 11_000);
    metrics.message('filler-2', 10_000, 10_500); // clock skew: clamped at 0
    metrics.message('filler-2', 10_000); // no timestamp: counted, not observed
    const m1 = { machine: 'filler-1' };
    expect(await valueOf(registry, 'otmqtt_ingest_messages_total', m1)).toBe(2);
    expect(await valueOf(registry, 'otmqtt_ingest_e2e_latency_seconds_count', m1)).toBe(2);
    expect(await valueOf(registry, 'otmqtt_ingest_e2e_latency_seconds_sum', m1)).toBeCloseTo(0.07);
    expect(
      await valueOf(registry, 'otmqtt_ingest_e2e_latency_seconds_bucket', { ...m1, le: '0.025' }),
    ).toBe(1);
    expect(
      await valueOf(registry, 'otmqtt_ingest_e2e_latency_seconds_count', { machine: 'filler-2' }),
    ).toBe(1);
    expect(
      await valueOf(registry, 'otmqtt_ingest_machine_last_seen_timestamp_seconds', m1),
    ).toBeCloseTo(11.02);
  });

  it('turns monitor events into gap, duplicate, late, restart, stale and online figures', async () => {
    const { registry, metrics } = setup();
    const m = { machine: 'filler-1' };
    metrics.event({ type: 'new-machine', machineId: 'filler-1' });
    metrics.event({ type: 'gap', machineId: 'filler-1', missing: 3 });
    metrics.event({ type: 'duplicate', machineId: 'filler-1' });
    metrics.event({ type: 'late', machineId: 'filler-1' });
    metrics.event({ type: 'reset', machineId: 'filler-1' });
    metrics.event({ type: 'connection', machineId: 'filler-1', status: 'online' });
    metrics.event({ type: 'stale', machineId: 'filler-1' });
    metrics.event({ type: 'something-new', machineId: 'filler-1' });
    metrics.invalid();
    expect(await valueOf(registry, 'otmqtt_ingest_gaps_total', m)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_missing_scans_total', m)).toBe(3);
    expect(await valueOf(registry, 'otmqtt_ingest_duplicate_messages_total', m)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_late_messages_total', m)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_restarts_total', m)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_invalid_messages_total')).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_machine_online', m)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_machine_stale', m)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_stale_machines')).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_machines')).toBe(1);

    metrics.event({ type: 'resumed', machineId: 'filler-1' });
    metrics.event({ type: 'connection', machineId: 'filler-1', status: 'offline' });
    expect(await valueOf(registry, 'otmqtt_ingest_machine_stale', m)).toBe(0);
    expect(await valueOf(registry, 'otmqtt_ingest_stale_machines')).toBe(0);
    expect(await valueOf(registry, 'otmqtt_ingest_machine_online', m)).toBe(0);

    metrics.event({ type: 'stale', machineId: 'filler-1' });
    metrics.event({ type: 'forgotten', machineIds: ['filler-1'] });
    expect(await valueOf(registry, 'otmqtt_ingest_stale_machines')).toBe(0);
    expect(await valueOf(registry, 'otmqtt_ingest_machines')).toBe(0);
    expect(await valueOf(registry, 'otmqtt_ingest_machine_online', m)).toBeUndefined();
  });

  it('bounds the machine label: machines beyond the limit share machine="_other"', async () => {
    const { registry, metrics } = setup(2);
    for (let i = 0; i < 1000; i++) metrics.message(`m-${i}`, 1000, 999);
    for (let i = 0; i < 1000; i++) metrics.event({ type: 'stale', machineId: `m-${i}` });
    expect(await valueOf(registry, 'otmqtt_ingest_messages_total', { machine: 'm-0' })).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_messages_total', { machine: 'm-1' })).toBe(1);
    expect(await valueOf(registry, 'otmqtt_ingest_messages_total', { machine: 'm-2' })).toBe(
      undefined,
    );
    expect(await valueOf(registry, 'otmqtt_ingest_messages_total', { machine: '_other' })).toBe(
      998,
    );
    expect(await valueOf(registry, 'otmqtt_ingest_unlabelled_machines')).toBe(998);
    // The count of stale machines covers all of them; the per-machine gauge only the labelled ones.
    expect(await valueOf(registry, 'otmqtt_ingest_stale_machines')).toBe(1000);
    const text = await registry.metrics();
    expect(text.match(/^otmqtt_ingest_machine_stale\{/gmu)).toHaveLength(2);
  });
});
