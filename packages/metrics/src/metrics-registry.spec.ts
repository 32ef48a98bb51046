import perfHooks from 'node:perf_hooks';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetricsRegistry } from './metrics-registry.js';

afterEach(() => vi.restoreAllMocks());

describe('createMetricsRegistry', () => {
  it('samples the event-loop lag once a second: each wake of the loop costs an idle agent CPU (issue 14)', () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const registry = createMetricsRegistry({ app: 'agent' });
    expect(monitor).toHaveBeenCalledWith({ resolution: 1000 });
    expect(registry.getSingleMetric('nodejs_eventloop_lag_p99_seconds')).toBeDefined();
  });

  it("exports prom-client's default process metrics but the GC histogram, and observes no GC (issue 14)", () => {
    const observe = vi.spyOn(perfHooks.PerformanceObserver.prototype, 'observe');
    const names = (r: Registry) =>
      r
        .getMetricsAsArray()
        .map((m) => m.name)
        .filter((n) => n.startsWith('nodejs_') || n.startsWith('process_'));
    const ours = names(createMetricsRegistry({ app: 'agent' }));
    expect(observe).not.toHaveBeenCalled();
    const all = new Registry();
    collectDefaultMetrics({ register: all });
    const expected = names(all).filter(
      (n) =>
        n !== 'nodejs_gc_duration_seconds' &&
        // gauges named like counters, left out since before (promtool rejects them)
        ![
          'nodejs_active_handles_total',
          'nodejs_active_requests_total',
          'nodejs_active_resources_total',
        ].includes(n),
    );
    expect(ours.sort()).toEqual(expected.sort());
  });

  it('leaves the event-loop lag monitor out when asked: the agent measures its scans’ lag itself (issue 14)', () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const registry = createMetricsRegistry({ app: 'agent', eventLoopLag: false });
    expect(monitor).not.toHaveBeenCalled();
    expect(registry.getSingleMetric('nodejs_eventloop_lag_p99_seconds')).toBeUndefined();
    expect(registry.getSingleMetric('process_cpu_seconds_total')).toBeDefined();
  });

  it('without process metrics, starts no monitor at all', () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    createMetricsRegistry({ app: 'agent', processMetrics: false });
    expect(monitor).not.toHaveBeenCalled();
  });
});
