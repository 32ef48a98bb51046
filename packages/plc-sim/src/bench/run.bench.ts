// Entry point of `npx nx run plc-sim:bench`: full run, tables on stdout, JSON under reports/bench/.
// `--only=shift` runs the shift report alone (`npm run bench:shift -w @ot-mqtt/plc-sim`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL_RUN, formatScanCostTable, measureScanCost } from './scan-cost.bench.js';
import { formatShiftReport, measureShifts } from './shift-report.bench.js';

function write(name: string, report: unknown): void {
  const out = fileURLToPath(new URL(`../../../../reports/bench/${name}.json`, import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten: ${out}`);
}

if (!process.argv.includes('--only=shift')) {
  const report = measureScanCost(FULL_RUN);
  console.log(formatScanCostTable(report));
  write('plc-sim', report);
  console.log('');
}
const shifts = measureShifts();
console.log(formatShiftReport(shifts));
write('plc-sim-shift', shifts);
