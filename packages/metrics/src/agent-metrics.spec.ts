import { describe, expect, it } from 'vitest';
import { createAgentMetrics, type PublisherTotals } from './agent-metrics.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { valueOf } from './metric-values.test-helper.js';

const totals = (n: number): PublisherTotals => ({
  scans: n,
  messages: 7 * n,
  acked: 7 * n - 1,
  failed: 1,
  invalid: 0,
});

describe('agent metrics', () => {
  it('reads each machine’s publisher totals at scrape time', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    let scans = 3;
    createAgentMetrics({
      registry,
      machines: [
        { id: 'filler-1', counters: () => totals(scans) },
        { id: 'filler-2', counters: () => totals(1) },
      ],
      schedulerBehind: () => 2,
    });
    const m1 = { machine: 'filler-1' };
    expect(await valueOf(registry, 'otmqtt_agent_fillers')).toBe(2);
    expect(await valueOf(registry, 'otmqtt_agent_scans_total', m1)).toBe(3);
    scans = 5;
    expect(await valueOf(registry, 'otmqtt_agent_scans_total', m1)).toBe(5);
    expect(await valueOf(registry, 'otmqtt_agent_messages_published_total', m1)).toBe(35);
    expect(await valueOf(registry, 'otmqtt_agent_messages_acknowledged_total', m1)).toBe(34);
    expect(await valueOf(registry, 'otmqtt_agent_messages_failed_total', m1)).toBe(1);
    expect(await valueOf(registry, 'otmqtt_agent_scheduler_behind_total')).toBe(2);
  });

  it('reads the machines from a function when they are created after the metrics', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    const machines: { id: string; counters: () => PublisherTotals }[] = [];
    createAgentMetrics({ registry, machines: () => machines });
    expect(await valueOf(registry, 'otmqtt_agent_fillers')).toBe(0);
    machines.push({ id: 'late', counters: () => totals(4) });
    expect(await valueOf(registry, 'otmqtt_agent_fillers')).toBe(1);
    expect(await valueOf(registry, 'otmqtt_agent_scans_total', { machine: 'late' })).toBe(4);
  });

  it('sums the machines into unlabelled totals when per-machine series are off', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    createAgentMetrics({
      registry,
      perMachine: false,
      machines: [
        { id: 'a', counters: () => totals(2) },
        { id: 'b', counters: () => totals(3) },
      ],
    });
    expect(await valueOf(registry, 'otmqtt_agent_scans_total')).toBe(5);
    expect(await registry.metrics()).not.toContain('machine=');
  });

  it('gives the first maxMachines machines their own label and sums the rest under machine="_other"', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    const fleet = Array.from({ length: 1000 }, (_, i) => ({
      id: `filler-${String(i + 1).padStart(4, '0')}`,
      counters: () => totals(1),
    }));
    createAgentMetrics({ registry, machines: fleet, maxMachines: 100 });
    const text = await registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('otmqtt_agent_scans_total{'));
    expect(series).toHaveLength(101);
    expect(await valueOf(registry, 'otmqtt_agent_scans_total', { machine: 'filler-0100' })).toBe(1);
    expect(await valueOf(registry, 'otmqtt_agent_scans_total', { machine: '_other' })).toBe(900);
    expect(
      await valueOf(registry, 'otmqtt_agent_messages_published_total', { machine: '_other' }),
    ).toBe(6300);
    expect(text).not.toContain('filler-0101');
  });

  it('times publishes to their acknowledgement and counts failures by a bounded code', async () => {
    const registry = createMetricsRegistry({ app: 'agent', processMetrics: false });
    const metrics = createAgentMetrics({ registry, machines: [] });
    await metrics.timePublish(Promise.resolve());
    await expect(metrics.timePublish(Promise.reject(new Error('x')))).rejects.toThrow('x');
    metrics.publishFailed('OUTBOX_FULL');
    metrics.publishFailed('whatever a message says');
    metrics.schedulerLag(0.003);
    // A caller that already waits for its publish reports the time itself.
    metrics.publishAcknowledged(0.004);
    expect(await valueOf(registry, 'otmqtt_agent_publish_ack_seconds_count')).toBe(2);
    expect(
      await valueOf(registry, 'otmqtt_agent_publish_ack_seconds_bucket', { le: '0.005' }),
    ).toBe(2);
    expect(
      await valueOf(registry, 'otmqtt_agent_publish_failures_total', { code: 'OUTBOX_FULL' }),
    ).toBe(1);
    expect(await valueOf(registry, 'otmqtt_agent_publish_failures_total', { code: 'other' })).toBe(
      1,
    );
    expect(
      await valueOf(registry, 'otmqtt_agent_scheduler_lag_seconds_bucket', { le: '0.005' }),
    ).toBe(1);
  });
});
