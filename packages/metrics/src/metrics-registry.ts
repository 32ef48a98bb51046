// Named here, not only found by this package's tsconfig: the apps type-check this file from source.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient wildcard module cannot be imported
/// <reference path="./prom-client-metrics.d.ts" />
import { Gauge, Registry } from 'prom-client';
import eventLoopLag from 'prom-client/lib/metrics/eventLoopLag.js';
import heapSizeAndUsed from 'prom-client/lib/metrics/heapSizeAndUsed.js';
import heapSpacesSizeAndUsed from 'prom-client/lib/metrics/heapSpacesSizeAndUsed.js';
import osMemoryHeap from 'prom-client/lib/metrics/osMemoryHeap.js';
import processCpuTotal from 'prom-client/lib/metrics/processCpuTotal.js';
import processHandles from 'prom-client/lib/metrics/processHandles.js';
import processMaxFileDescriptors from 'prom-client/lib/metrics/processMaxFileDescriptors.js';
import processOpenFileDescriptors from 'prom-client/lib/metrics/processOpenFileDescriptors.js';
import processRequests from 'prom-client/lib/metrics/processRequests.js';
import processResources from 'prom-client/lib/metrics/processResources.js';
import processStartTime from 'prom-client/lib/metrics/processStartTime.js';
import version from 'prom-client/lib/metrics/version.js';

/**
 * prom-client's `collectDefaultMetrics` without `nodejs_gc_duration_seconds`: that histogram is fed
 * by a `PerformanceObserver` on GC entries, and on Node 20 every GC then builds a performance entry
 * (with deprecated getters made per entry) and runs a callback — 14 ms of a one-filler agent's
 * 423 ms of CPU in 70 s (`--cpu-prof`, 2026-11-30), about half of the ~0.4 ms a second its
 * metrics cost it. No dashboard
 * or alert reads it; `nodejs_heap_*` and `nodejs_eventloop_lag_*` still show a GC-bound process.
 */
const PROCESS_METRICS = [
  processCpuTotal,
  processStartTime,
  osMemoryHeap,
  processOpenFileDescriptors,
  processMaxFileDescriptors,
  eventLoopLag,
  processResources,
  processHandles,
  processRequests,
  heapSizeAndUsed,
  heapSpacesSizeAndUsed,
  version,
];

/** Options of {@link createMetricsRegistry}. */
export interface MetricsRegistryOptions {
  /** Which app this process is (`agent`, `viewer`, `gateway`, `broker-exporter`…): the `app` label of `otmqtt_app_info`. */
  readonly app: string;
  /** The app's version, shown in `otmqtt_app_info` (default: `unknown`). */
  readonly version?: string;
  /**
   * Also collect Node's process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
   * `nodejs_eventloop_lag_seconds`, heap…) under their standard names (default: true): prom-client's
   * default metrics but the GC duration histogram, whose observer costs CPU at every collection.
   */
  readonly processMetrics?: boolean;
  /**
   * With `processMetrics`: also `nodejs_eventloop_lag_*` (default: true). Its monitor wakes the
   * event loop once a second, ~0.1 ms of CPU each second: ~6 % of an idle one-filler agent, which
   * leaves it out — its `otmqtt_agent_scheduler_lag_seconds` is the loop's delay at every scan.
   */
  readonly eventLoopLag?: boolean;
}

/**
 * A fresh prom-client `Registry` with `otmqtt_app_info{app,version} 1` and Node's standard
 * process metrics. A registry per process (never prom-client's global one), so a library that also
 * uses prom-client cannot collide with ours and tests can create as many as they like.
 *
 * @example
 * ```ts
 * import { createMetricsRegistry, startMetricsServer } from '@ot-mqtt/metrics';
 *
 * const registry = createMetricsRegistry({ app: 'agent', version: '0.1.0' });
 * const server = await startMetricsServer({ registry, port: 9464 });
 * ```
 */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  const info = new Gauge({
    name: 'otmqtt_app_info',
    help: 'Which ot-mqtt app this is and its version (always 1)',
    labelNames: ['app', 'version'] as const,
    registers: [registry],
  });
  info.set({ app: options.app, version: options.version ?? 'unknown' }, 1);
  if (options.processMetrics ?? true) {
    // prom-client also exports nodejs_active_{handles,requests,resources}_total: gauges with a counter's
    // suffix (promtool rejects them) that repeat the unsuffixed gauges beside them. Left out.
    const defaults = new Registry();
    // The event-loop lag monitor wakes the loop at this period, and each wake costs: prom-client's
    // 10 ms default took an otherwise idle one-filler agent ~4 ms of CPU a second (+58 % per scan,
    // tools/bench metrics-overhead), 100 ms still ~0.57 ms a second (~1.1 ms of the ~9.5 ms per 2 s
    // scan, +12 %), 1 s ~0.1 ms (a bare Node process, 30 s windows, 2026-11-30). A 1 s period still
    // records any stall as the delay of the tick it holds up; a 15 s scrape gets ~15 samples.
    const lag = options.eventLoopLag ?? true;
    for (const register of PROCESS_METRICS)
      if (lag || register !== eventLoopLag)
        register(defaults, { eventLoopMonitoringPrecision: 1000 });
    for (const { name, type } of defaults.getMetricsAsArray()) {
      const metric = defaults.getSingleMetric(name);
      if (metric !== undefined && !(String(type) === 'gauge' && name.endsWith('_total')))
        registry.registerMetric(metric);
    }
  }
  return registry;
}
