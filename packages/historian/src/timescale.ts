import type { Pool } from 'pg';

// The TimescaleDB path: small and isolated on purpose. It is NOT exercised by the project's tests
// (the extension is not in Debian's packages on the CI machine); docs/historian.md says so.

/** Whether the `timescaledb` extension can be used in this database. */
export async function timescaleAvailable(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query(
    "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  return rows.length > 0;
}

/** Compression of chunks older than a day, segmented by machine and tag (how trends are read). Idempotent. */
export async function setUpTimescale(pool: Pool): Promise<void> {
  await pool.query(
    "ALTER TABLE sample SET (timescaledb.compress, timescaledb.compress_segmentby = 'machine, tag', timescaledb.compress_orderby = 'ts')",
  );
  await pool.query(
    "SELECT add_compression_policy('sample', interval '1 day', if_not_exists => true)",
  );
}

/** Retention: drops whole chunks older than `cutoff` (ms); returns how many went. */
export async function dropChunks(pool: Pool, cutoff: number): Promise<number> {
  let dropped = 0;
  for (const table of ['scan', 'sample']) {
    const { rows } = await pool.query(
      `SELECT drop_chunks('${table}', older_than => to_timestamp($1::float8 / 1000))`,
      [cutoff],
    );
    dropped += rows.length;
  }
  return dropped;
}
