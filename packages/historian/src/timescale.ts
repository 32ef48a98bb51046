import type { Pool } from 'pg';

// The TimescaleDB path: small and isolated on purpose. It is NOT exercised by the project's tests
// (the extension is not in Debian's packages on the CI machine); docs/historian.md says so.

const PARTITIONED = /\) PARTITION BY RANGE \(ts\);/gu;
const BRIN_INDEX = /^CREATE INDEX IF NOT EXISTS \w+ ON \w+ USING brin \(ts\);\n/gmu;

/**
 * PostgreSQL's migrations as TimescaleDB runs them (same versions, so the migration table reads
 * alike): the initial schema creates the extension first, and `scan` and `sample` become
 * hypertables with 1-day chunks instead of natively partitioned tables with BRIN indexes (chunks
 * are pruned by time already). Every later file runs unchanged — one schema, so every query of the
 * store is shared. Throws when `001_initial` no longer has the clauses it replaces, so an edit
 * there cannot silently leave TimescaleDB with partitioned tables it cannot convert.
 */
export function timescaleMigrations<M extends { readonly version: string; readonly sql: string }>(
  postgres: readonly M[],
): Array<{ version: string; sql: string }> {
  return postgres.map(({ version, sql }) => {
    if (version !== '001_initial') return { version, sql };
    const partitioned = sql.match(PARTITIONED)?.length ?? 0;
    const brin = sql.match(BRIN_INDEX)?.length ?? 0;
    if (partitioned !== 2 || brin !== 2) {
      throw new Error(
        `postgres/001_initial.sql: expected 2 partitioned tables and 2 BRIN indexes to replace, found ${partitioned} and ${brin}`,
      );
    }
    const tables = sql.replace(PARTITIONED, ');').replace(BRIN_INDEX, '');
    return {
      version,
      sql: [
        'CREATE EXTENSION IF NOT EXISTS timescaledb;',
        tables,
        ...['scan', 'sample'].map(
          (table) =>
            `SELECT create_hypertable('${table}', 'ts', chunk_time_interval => interval '1 day', if_not_exists => true);`,
        ),
      ].join('\n'),
    };
  });
}

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
