import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Path of Debian's promtool, or undefined when the `prometheus` package is not installed. */
export const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

/** Why promtool tests skip here (empty when they run). */
export const NO_PROMTOOL =
  PROMTOOL === undefined
    ? 'promtool not installed (apt-get install -y prometheus; .ci/run installs it): skipped'
    : '';

/**
 * Runs `promtool check metrics` on exposition text; returns its exit code and complaints (empty
 * output and code 0 when the text follows Prometheus' conventions).
 *
 * @example
 * ```ts
 * import { checkMetrics, NO_PROMTOOL } from '@ot-mqtt/metrics/testing';
 * it.skipIf(NO_PROMTOOL !== '')('passes promtool', async () => {
 *   const { code, output } = checkMetrics(await (await fetch(url)).text());
 *   expect(output).toBe('');
 *   expect(code).toBe(0);
 * });
 * ```
 */
export function checkMetrics(text: string): { code: number | null; output: string } {
  const run = spawnSync(PROMTOOL ?? 'promtool', ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
