import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHistorian, type OpenHistorianOptions } from './open-historian.js';
import { describeStoreContract } from './store-contract.test-helper.js';
import { scan, T0 } from './test-scans.test-helper.js';

/** A fresh SQLite file, opened with writes on the caller's thread or on the writer thread. */
const sqliteFixture = (writerThread: boolean) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'historian-'));
  const file = join(dir, 'h.sqlite');
  return {
    open: (options?: OpenHistorianOptions) => openHistorian(file, { ...options, writerThread }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

describeStoreContract('SQLite', sqliteFixture(false));
describeStoreContract('SQLite, writes on a worker thread', sqliteFixture(true));

describe('SQLite with writes on a worker thread', () => {
  it("commits off the caller's thread: the event loop runs while a large write is in progress", async () => {
    const fx = await sqliteFixture(true)();
    const store = await fx.open({ deadbandPercent: 0 });
    try {
      const scans = Array.from({ length: 5_000 }, (_, n) =>
        scan(`m${n % 50}`, Math.floor(n / 50), { FillLevel: n % 97 }),
      );
      let committed = false;
      const write = store.writeScans(scans).then((r) => {
        committed = true;
        return r;
      });
      // On the caller's thread the whole transaction would have run before this line.
      let ticks = 0;
      while (!committed) {
        await new Promise((next) => setImmediate(next));
        ticks++;
      }
      expect(ticks).toBeGreaterThan(1);
      expect(await write).toMatchObject({ stored: 5_000, duplicates: 0 });
      // Resolved means committed and visible to the reads on this thread.
      const latest = await store.getMachine('m49');
      expect(latest?.lastSequence).toBe(99);
      expect(await store.writeScans(scans.slice(0, 10))).toMatchObject({
        stored: 0,
        duplicates: 10,
      });
    } finally {
      await store.close();
      await fx.cleanup();
    }
  });

  it('close lets the write in progress commit; a write after close rejects', async () => {
    const fx = await sqliteFixture(true)();
    try {
      const store = await fx.open();
      const write = store.writeScans(Array.from({ length: 500 }, (_, n) => scan('m1', n)));
      await store.close();
      expect(await write).toMatchObject({ stored: 500 });
      await expect(store.writeScans([scan('m1', 500)])).rejects.toThrow('closed');
      const again = await fx.open();
      expect((await again.scans('m1', { from: T0, to: T0 + 3_600_000 }, 1_000))?.length).toBe(500);
      await again.close();
    } finally {
      await fx.cleanup();
    }
  });

  it('passes write errors back as they are thrown', async () => {
    const fx = await sqliteFixture(true)();
    const store = await fx.open();
    try {
      await expect(
        store.writeScans([{ ...scan('m1', 0), timestamp: 'not a time' }]),
      ).rejects.toThrow(/timestamp/u);
    } finally {
      await store.close();
      await fx.cleanup();
    }
  });
});

describe('SQLite file', () => {
  it('creates the folder of the database file and keeps its data in that file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'historian-'));
    const file = join(dir, 'nested', 'deeper', 'historian.sqlite');
    try {
      const store = await openHistorian(file);
      expect(store.engine).toBe('sqlite');
      expect(store.location).toBe(file);
      await store.writeScans([scan('m1', 0)]);
      await store.close();
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails naming the file when it cannot be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'historian-'));
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    try {
      await expect(openHistorian(join(blocker, 'historian.sqlite'))).rejects.toThrow(
        `cannot open the historian database ${join(blocker, 'historian.sqlite')}: `,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
