import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { raised } from './alarm-journal-contract.test-helper.js';
import { openHistorian } from './open-historian.js';
import { scan, T0 } from './test-scans.test-helper.js';

const DAY_MS = 86_400_000;
const MACHINES = ['m1', 'm2', 'm3', 'm4'];
const SCANS_PER_MACHINE = 500;
const BATCH = 20;

// The gateway opens one SQLite file twice, each store with its own writer thread: the ingest
// thread's (scans) and the HTTP thread's (alarm journal, connection states, hourly retention).
// They take turns at WAL's one write lock; a turn that waited past busy_timeout, or a deferred
// transaction upgraded to a write, would surface as SQLITE_BUSY and fail a commit.
describe('SQLite, two stores writing one file (ingest and HTTP thread)', () => {
  it('journal, connection and retention writes while ingest commits: no SQLITE_BUSY, no scan lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'historian-two-writers-'));
    const file = join(dir, 'h.sqlite');
    const ingest = await openHistorian(file, { writerThread: true });
    const http = await openHistorian(file, { writerThread: true });
    try {
      // Old scans for retention to delete while ingest runs.
      const old = Array.from({ length: 200 }, (_, n) =>
        scan('old', n, {}, T0 - 10 * DAY_MS + n * 2_000),
      );
      await ingest.writeScans(old);

      const batches: Array<ReturnType<typeof scan>[]> = [];
      for (let n = 0; n < SCANS_PER_MACHINE; n += BATCH / MACHINES.length) {
        batches.push(
          MACHINES.flatMap((m) =>
            Array.from({ length: BATCH / MACHINES.length }, (_, k) => scan(m, n + k)),
          ),
        );
      }
      let ingesting = true;
      const ingestLoop = (async () => {
        try {
          for (const batch of batches) await ingest.writeScans(batch);
        } finally {
          ingesting = false;
        }
      })();
      let httpWrites = 0;
      let journalled = 0;
      const httpLoop = (async () => {
        while (ingesting) {
          const at = T0 + httpWrites;
          await http.appendAlarmEvents(MACHINES.map((m) => raised(m, 'Overfill', at)));
          journalled += MACHINES.length;
          await http.setConnection(MACHINES[httpWrites % MACHINES.length]!, 'online', at);
          await http.enforceRetention(5, T0);
          httpWrites++;
        }
      })();
      await Promise.all([ingestLoop, httpLoop]);

      // The HTTP thread's writes ran while ingest committed, not after it.
      expect(httpWrites).toBeGreaterThan(3);
      for (const m of MACHINES) {
        const scans = await http.scans(m, { from: T0, to: T0 + DAY_MS }, 10_000);
        expect(scans?.map((s) => s.sequence)).toEqual(
          Array.from({ length: SCANS_PER_MACHINE }, (_, n) => n),
        );
      }
      expect(await http.scans('old', { from: T0 - 11 * DAY_MS, to: T0 }, 10_000)).toEqual([]);
      const journal = await http.alarmJournal({ from: T0, to: T0 + DAY_MS, limit: 100_000 });
      expect(journal).toHaveLength(journalled);
    } finally {
      await ingest.close();
      await http.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
