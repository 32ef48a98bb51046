import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { HistorianStore, NumericSeries } from './historian-store.js';
import { openHistorian } from './open-historian.js';
import { redactUrl } from './redact-url.js';
import { describeStoreContract } from './store-contract.test-helper.js';
import { createTestDatabase, postgresAvailable } from './test-postgres.test-helper.js';
import { scan, T0 } from './test-scans.test-helper.js';

const available = await postgresAvailable();
if (!available && process.env['CI']) {
  throw new Error('PostgreSQL is not reachable on 127.0.0.1:5432 (CI starts it in .ci/run)');
}
if (!available)
  console.warn('PostgreSQL not reachable on 127.0.0.1:5432: PostgreSQL tests skipped');

/** Stores (gateways) on one fresh database, and a client of its own to look at the tables. */
async function withGateways(
  count: number,
  test: (stores: HistorianStore[], client: pg.Client) => Promise<void>,
): Promise<void> {
  const db = await createTestDatabase();
  const stores: HistorianStore[] = [];
  const client = new pg.Client({ connectionString: db.url });
  try {
    for (let i = 0; i < count; i++) stores.push(await openHistorian(db.url));
    await client.connect();
    await test(stores, client);
  } finally {
    await client.end().catch(() => undefined);
    for (const store of stores) await store.close();
    await db.drop();
  }
}

/** Two stores on one fresh database, as two gateways sharing it. */
const withTwoGateways = (test: (a: HistorianStore, b: HistorianStore) => Promise<void>) =>
  withGateways(2, ([a, b]) => test(a!, b!));

/** One store on a fresh database, and a client of its own to look at the tables. */
const withStoreAndClient = (test: (store: HistorianStore, client: pg.Client) => Promise<void>) =>
  withGateways(1, ([store], client) => test(store!, client));

describe.runIf(available)('PostgreSQL', () => {
  describeStoreContract('PostgreSQL', async () => {
    const db = await createTestDatabase();
    return { open: (options) => openHistorian(db.url, options), cleanup: db.drop };
  });

  it('partitions scans and samples by UTC day, with BRIN indexes on time', () =>
    withStoreAndClient(async (store, client) => {
      expect(store.engine).toBe('postgres');
      await store.writeScans([scan('m1', 0, {}, T0 - 3 * 86_400_000), scan('m1', 1)]);
      const { rows } = await client.query<{ relname: string }>(
        "SELECT relname FROM pg_class WHERE relname LIKE 'sample_p%' OR relname LIKE 'scan_p%' ORDER BY relname",
      );
      expect(rows.map((r) => r.relname)).toEqual(
        expect.arrayContaining([
          'sample_p20261127',
          'sample_p20261130',
          'scan_p20261127',
          'scan_p20261130',
        ]),
      );
      const brin = await client.query(
        "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%USING brin%' AND tablename IN ('scan', 'sample')",
      );
      expect(brin.rows).toHaveLength(2);
      // Retention drops the whole old day.
      await store.enforceRetention(2, T0 + 1_000);
      const left = await client.query("SELECT 1 FROM pg_class WHERE relname = 'sample_p20261127'");
      expect(left.rows).toHaveLength(0);
    }));

  it('lets two stores (two gateways) write the same machine concurrently without doubles', () =>
    withTwoGateways(async (a, b) => {
      const scans = Array.from({ length: 200 }, (_, n) => scan('m1', n));
      await Promise.all([
        a.writeScans(scans.filter((_, i) => i % 2 === 0)),
        b.writeScans(scans.filter((_, i) => i % 2 === 1)),
        a.writeScans(scans.slice(50, 150)),
      ]);
      const stored = await a.scans('m1', { from: T0, to: T0 + 1_000_000 }, 1_000);
      expect(stored?.map((s) => s.sequence)).toEqual(scans.map((s) => s.sequence));
    }));

  it("two gateways taking turns on a machine: each plans against the other's reference, never a stale one", () =>
    withTwoGateways(async (a, b) => {
      await a.writeScans([scan('m1', 0, { FillLevel: 50 })]);
      await b.writeScans([scan('m1', 1, { FillLevel: 60 })]);
      // Within the 0.5 deadband of 60 (b's), beyond it from 50 (what a wrote last).
      await a.writeScans([scan('m1', 2, { FillLevel: 60.2 })]);
      await a.writeScans([scan('m1', 3, { FillLevel: 61 })]);
      const h = await a.history({
        machineId: 'm1',
        tags: ['FillLevel'],
        from: T0,
        to: T0 + 10_000,
        maxPoints: 10,
      });
      const points = (h?.series[0] as NumericSeries).points;
      expect(points.map((p) => p.last)).toEqual([50, 60, 61]);
      expect((await a.scans('m1', { from: T0, to: T0 + 10_000 }, 10))?.length).toBe(4);
    }));

  it('stores a batch that PostgreSQL rolled back to break a deadlock with another writer', () =>
    withStoreAndClient(async (store, client) => {
      await store.writeScans([scan('m1', 0)]);
      // Another gateway's locked path: the machine row locked first, then the same scan inserted.
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(
        "SELECT id FROM machine WHERE machine_id = 'm1' FOR UPDATE",
      );
      const written = store.writeScans([scan('m1', 1)]);
      written.catch(() => undefined); // awaited below, after the cycle
      // This store's one statement has inserted scan 1 and waits for the machine row.
      await expect
        .poll(async () => {
          const waiting = await client.query(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
          );
          return waiting.rowCount;
        })
        .toBe(1);
      const closeCycle = client.query(
        'INSERT INTO scan (machine, ts, seq, received) VALUES ($1, to_timestamp($2 / 1000.0), 1, now())',
        [rows[0]!.id, T0 + 2_000],
      );
      await closeCycle.catch(() => undefined);
      await client.query('COMMIT').catch(() => client.query('ROLLBACK'));
      await expect(written).resolves.toBeDefined();
      const stored = await store.scans('m1', { from: T0, to: T0 + 10_000 }, 10);
      expect(stored?.map((s) => s.sequence)).toEqual([0, 1]);
    }));

  it('stores a late scan whose samples are already stored (same time, other sequence) once, without failing the batch', () =>
    // The one-statement path inserts samples without ON CONFLICT (1.8× cheaper); a sample already
    // there fails that statement as a whole and the batch takes the locked path.
    withStoreAndClient(async (store, client) => {
      await store.writeScans([scan('m1', 0)]);
      await store.writeScans([scan('m1', 5)]);
      // Late (older than the reference): every tag stored, then again at the same time.
      await store.writeScans([scan('m1', 10, {}, T0 - 2_000)]);
      const result = await store.writeScans([scan('m1', 11, {}, T0 - 2_000)]);
      expect(result).toMatchObject({ stored: 1, duplicates: 0 });
      const stored = await store.scans('m1', { from: T0 - 10_000, to: T0 + 20_000 }, 10);
      expect(stored?.map((s) => s.sequence)).toEqual([10, 11, 0, 5]);
      const { rows } = await client.query<{ n: string; tags: string }>(
        `SELECT count(*) AS n, count(DISTINCT tag) AS tags FROM sample
          WHERE ts = to_timestamp($1::float8 / 1000)`,
        [T0 - 2_000],
      );
      expect(rows[0]!.n).toBe(rows[0]!.tags);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
      // And the one-statement path still serves the next batch.
      expect(await store.writeScans([scan('m1', 12)])).toMatchObject({ stored: 1 });
    }));

  it('never prints the password of the database URL', () => {
    expect(redactUrl('postgres://gw:s3cret@db:5432/hist')).toBe('postgres://gw:***@db:5432/hist');
  });
});

describe('PostgreSQL unreachable', () => {
  it('fails naming the database, without its password, and why', async () => {
    // A port nobody listens on: connection refused at once.
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    const { port } = server.address() as { port: number };
    await new Promise((done) => server.close(done));
    const url = `postgres://gw:s3cret@127.0.0.1:${port}/hist`;
    const failure = openHistorian(url);
    await expect(failure).rejects.toThrow(
      `cannot open the historian database postgres://gw:***@127.0.0.1:${port}/hist: connect ECONNREFUSED`,
    );
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });
});
