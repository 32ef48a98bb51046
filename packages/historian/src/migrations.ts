import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { timescaleMigrations } from './timescale.js';

/** One migration file: its version (the file name without `.sql`) and its SQL text. */
export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/**
 * The migrations of an engine, in order: plain SQL files named `NNN_what.sql` in the package's
 * `migrations/<engine>/` folder (shipped with the package). Each file is idempotent on its own
 * (`IF NOT EXISTS`); the store also records which versions ran, so a file is applied once.
 * TimescaleDB has no folder of its own: it runs PostgreSQL's files, with hypertables in place of
 * native partitions ({@link timescaleMigrations}), under the same versions.
 */
export async function loadMigrations(
  engine: 'sqlite' | 'postgres' | 'timescaledb',
): Promise<Migration[]> {
  if (engine === 'timescaledb') return timescaleMigrations(await loadMigrations('postgres'));
  // From src/ and from dist/ alike, the folder is one level up.
  const dir = fileURLToPath(new URL(`../migrations/${engine}/`, import.meta.url));
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/u.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: file.replace(/\.sql$/u, ''),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
}
