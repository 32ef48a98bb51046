// Entry point of `npx nx run plc-sim:bench`: full run, table on stdout, JSON under reports/bench/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL_RUN, formatScanCostTable, measureScanCost } from './scan-cost.bench.js';

const out = fileURLToPath(new URL('../../../../reports/bench/plc-sim.json', import.meta.url));
const report = measureScanCost(FULL_RUN);
console.log(formatScanCostTable(report));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten: ${out}`);
