import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './libraries.js';
import { describeFailure, run } from './run.js';

const out = mkdtempSync(join(tmpdir(), 'ot-mqtt-api-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('API documentation site', () => {
  it('builds with `npm run docs` for every library, without a single warning', async () => {
    // Same command as the README's, into a temporary directory so a test run never touches docs/api.
    const result = await run('npm', ['run', 'docs', '--', '--out', out], {
      cwd: REPO_ROOT,
      timeoutMs: 240_000,
    });
    expect(result.code, describeFailure(result)).toBe(0);
    expect(`${result.stdout}\n${result.stderr}`, describeFailure(result)).not.toMatch(
      /\[(warning|error)\]/u,
    );
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 300_000);
});
