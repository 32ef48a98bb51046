import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/**
 * V8 flags are per process, so each case runs in its own `node`: it imports the start-up hold as an
 * app's main module does, arms the release, and prints the young generation's size (semi-space
 * bytes) when it is done.
 */
async function youngGeneration(
  work: 'idle' | 'fleet',
): Promise<{ before: number; after: number; ms: number }> {
  const script = `
    import '${here('./startup-heap.ts')}';
    import { releaseStartupHeapLimitLater } from '${here('./release-startup-heap.ts')}';
    import { getHeapSpaceStatistics } from 'node:v8';
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const started = performance.now();
    const before = young();
    releaseStartupHeapLimitLater();
    if (${JSON.stringify(work)} === 'fleet') {
      // A fleet's allocation: short-lived objects and some that survive a scavenge, until the young
      // generation has grown (or the 5 s hold would have ended, which the test tells apart by time).
      const kept = [];
      const grow = () => {
        for (let i = 0; i < 20000; i++) kept.push({ i, tags: new Array(30).fill(i) });
        kept.splice(0, kept.length - 50000);
        if (young() > before * 2 || performance.now() - started > 4000) return done();
        setImmediate(grow);
      };
      grow();
    } else done();
    function done() {
      const after = young();
      // Printed when the process ends, so a timer or observer left holding it open shows in ms.
      process.on('exit', () => console.log(JSON.stringify({ before, after, ms: performance.now() - started })));
    }
  `;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      timeout: 20_000,
    },
  );
  return JSON.parse(stdout) as { before: number; after: number; ms: number };
}

describe('releaseStartupHeapLimitLater', () => {
  it('lets a busy app grow its young generation at once, not only after the 5 s start-up hold', async () => {
    const { before, after, ms } = await youngGeneration('fleet');
    expect(after).toBeGreaterThan(before * 2);
    expect(ms).toBeLessThan(4000);
  });

  it('keeps an idle app at its start-up size and does not hold the process open', async () => {
    const { before, after, ms } = await youngGeneration('idle');
    expect(after).toBe(before);
    // The 5 s timer and the GC observer are unref'd: the process ends when its work does.
    expect(ms).toBeLessThan(4000);
  });
});
