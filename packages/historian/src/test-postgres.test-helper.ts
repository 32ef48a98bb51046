import pg from 'pg';

/** Server the tests use: the machine's PostgreSQL unless `HISTORIAN_TEST_PG` names another. */
export const TEST_PG_ADMIN_URL =
  process.env['HISTORIAN_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the test server answers (tests skip with a message outside CI when it does not). */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_PG_ADMIN_URL,
    connectionTimeoutMillis: 3_000,
  });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database of its own for one test (or file); `drop()` removes it with any connection left. */
export async function createTestDatabase(
  prefix = 'historian_test',
  adminUrl = TEST_PG_ADMIN_URL,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
