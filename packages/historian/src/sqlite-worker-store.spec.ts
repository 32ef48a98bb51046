import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { openHistorian } from './open-historian.js';
import { scan, T0 } from './test-scans.test-helper.js';

// Every writer thread the store starts, so a test can kill one.
const started = vi.hoisted(() => [] as Array<{ terminate(): Promise<number> }>);
vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerThreads>();
  class Recorded extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args);
      started.push(this);
    }
  }
  return { ...original, Worker: Recorded };
});

describe('SQLite writer thread that dies', () => {
  it('rejects the write in flight, starts a new thread for the next one, and a retried write is stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'historian-thread-'));
    const store = await openHistorian(join(dir, 'h.sqlite'), { writerThread: true });
    try {
      expect(started).toHaveLength(1);
      await store.writeScans([scan('m1', 0), scan('m1', 1)]);
      const batch = Array.from({ length: 200 }, (_, n) => scan('m1', n + 2));
      const inFlight = store.writeScans(batch);
      await started[0]!.terminate();
      // Killed before or after its COMMIT: either way the caller hears of no success it did not get.
      const outcome = await inFlight.then(
        () => 'committed',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      expect(outcome).toMatch(/committed|SQLite writer thread exited/u);
      // What the commit queue does: write the same batch again.
      const retried = await store.writeScans(batch);
      expect(retried.stored + retried.duplicates).toBe(200);
      expect(started).toHaveLength(2);
      const scans = await store.scans('m1', { from: T0, to: T0 + 3_600_000 }, 1_000);
      expect(scans?.map((s) => s.sequence)).toEqual(Array.from({ length: 202 }, (_, n) => n));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
