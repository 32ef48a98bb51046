import perfHooks from 'node:perf_hooks';
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

  it('without process metrics, starts no monitor at all', () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    createMetricsRegistry({ app: 'agent', processMetrics: false });
    expect(monitor).not.toHaveBeenCalled();
  });
});
