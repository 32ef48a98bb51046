import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAlarmJournalContract } from './alarm-journal-contract.test-helper.js';
import { openHistorian } from './open-historian.js';

describeAlarmJournalContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'historian-alarms-'));
  const file = join(dir, 'h.sqlite');
  return {
    open: (options) => openHistorian(file, options),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
