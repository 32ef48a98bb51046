import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** infra/prometheus. */
export const PROMETHEUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** infra/grafana. */
export const GRAFANA_DIR = resolve(PROMETHEUS_DIR, '..', 'grafana');

const find = (name: string) =>
  [`/usr/bin/${name}`, `/usr/local/bin/${name}`].find((p) => existsSync(p));

/** Debian's promtool and prometheus (package `prometheus`), when installed. */
export const PROMTOOL = find('promtool');
export const PROMETHEUS = find('prometheus');

/** Why a test that needs them skips (empty when they are installed). */
export const MISSING = [
  PROMTOOL === undefined ? 'promtool' : '',
  PROMETHEUS === undefined ? 'prometheus' : '',
]
  .filter(Boolean)
  .join(' and ');
export const SKIP_REASON =
  MISSING === ''
    ? ''
    : ` — SKIPPED: ${MISSING} not installed (apt-get install -y prometheus; .ci/run installs it)`;

/** Runs promtool with `args` in infra/prometheus. */
export function promtool(args: readonly string[], input?: string) {
  const run = spawnSync(PROMTOOL ?? 'promtool', args, {
    cwd: PROMETHEUS_DIR,
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}
