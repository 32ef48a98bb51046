import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHistorian } from './open-historian.js';
import { describeStoreContract } from './store-contract.test-helper.js';
import { scan } from './test-scans.test-helper.js';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'historian-'));
  const file = join(dir, 'h.sqlite');
  return {
    open: (options) => openHistorian(file, options),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
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
