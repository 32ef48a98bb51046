// Prints the plain `N passed, N failed` line from vitest's JSON report (reports/vitest.json).
// A missing or unreadable report counts as one failure: the suite did not run to completion.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') failed += 1;
    }
    // A file that failed to load has no assertions but still failed.
    if ((suite.assertionResults ?? []).length === 0 && suite.status === 'failed') failed += 1;
  }
} catch (error) {
  console.error(
    `could not read ${file}: ${error instanceof Error ? error.message : String(error)}`,
  );
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
