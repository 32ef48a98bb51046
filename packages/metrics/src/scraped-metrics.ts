import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './buckets.js';

// How this package declares metrics, once: most of its figures are kept elsewhere (a client's
// stats, a scheduler, a map of machines) and read when Prometheus scrapes, not pushed as they change.

/** A metric `read` gives the value of at each scrape. */
type Scraped<M> = (registers: Registry[], name: string, help: string, read: () => number) => M;

/** A gauge whose value `read` gives at each scrape. */
export const scrapedGauge: Scraped<Gauge> = (registers, name, help, read) =>
  new Gauge({
    name,
    help,
    registers,
    collect() {
      this.set(read());
    },
  });

/** A counter republishing a total kept elsewhere (`read` gives it at each scrape; it only grows). */
export const scrapedCounter: Scraped<Counter> = (registers, name, help, read) =>
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      this.inc(read());
    },
  });

/** A latency histogram in seconds on {@link LATENCY_BUCKETS}. */
export function latencyHistogram<L extends string = never>(
  registers: Registry[],
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets: [...LATENCY_BUCKETS], registers });
}

/**
 * A counter by one label with every known value at 0 from the start: a chart shows 0 rather than
 * no series, and `rate()` sees the first increment.
 */
export function zeroedCounter<L extends string>(
  registers: Registry[],
  name: string,
  help: string,
  label: L,
  values: Iterable<string>,
): Counter<L> {
  const counter = new Counter({ name, help, labelNames: [label], registers });
  for (const value of values) counter.inc({ [label]: value } as Record<L, string>, 0);
  return counter;
}
