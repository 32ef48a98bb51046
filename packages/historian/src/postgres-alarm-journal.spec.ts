import { describe } from 'vitest';
import { describeAlarmJournalContract } from './alarm-journal-contract.test-helper.js';
import { openHistorian } from './open-historian.js';
import { createTestDatabase, postgresAvailable } from './test-postgres.test-helper.js';

const available = await postgresAvailable();
if (!available && process.env['CI']) {
  throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432 (CI starts it in .ci/run)');
}

describe.runIf(available)('PostgreSQL', () => {
  describeAlarmJournalContract('PostgreSQL', async () => {
    const db = await createTestDatabase('historian_alarms');
    return { open: (options) => openHistorian(db.url, options), cleanup: db.drop };
  });
});
