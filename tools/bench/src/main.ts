import type { BenchContext } from './harness/bench-context.js';
import { runBrokerConfig } from './benches/broker-config.js';
import { runClientOverhead } from './benches/client-overhead.js';
import { runCodec } from './benches/codec.js';
import { runFleet } from './benches/fleet.js';
import { runFootprint } from './benches/footprint.js';
import { runMetricsOverhead } from './benches/metrics-overhead.js';
import { runPayloadFormats } from './benches/payload-formats.js';
import { runScanCost } from './benches/scan-cost.js';
import { runShiftReport } from './benches/shift-report.js';
import { runViewerIngest } from './benches/viewer-ingest.js';

/** The benches in the order `npm run bench` runs them. */
export const BENCHES: Readonly<Record<string, (ctx: BenchContext) => Promise<string>>> = {
  'client-overhead': runClientOverhead,
  fleet: runFleet,
  'viewer-ingest': runViewerIngest,
  footprint: runFootprint,
  'payload-formats': runPayloadFormats,
  'broker-config': runBrokerConfig,
  'metrics-overhead': runMetricsOverhead,
  codec: runCodec,
  'scan-cost': runScanCost,
  'shift-report': runShiftReport,
};

async function main(argv: readonly string[]): Promise<void> {
  const smoke = argv.includes('--smoke') || process.env['BENCH_SMOKE'] === '1';
  const only = argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const unknown = only?.filter((n) => !(n in BENCHES));
  if (unknown?.length) {
    console.error(
      `unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`,
    );
    process.exit(2);
  }
  const ctx: BenchContext = {
    smoke,
    log: (line) => console.log(line),
    command:
      ['npx nx run bench:bench', ...(argv.length ? ['--', ...argv] : [])].join(' ') +
      (process.env['BENCH_SMOKE'] === '1' ? ' (BENCH_SMOKE=1)' : ''),
  };
  for (const [name, run] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    await run(ctx);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
