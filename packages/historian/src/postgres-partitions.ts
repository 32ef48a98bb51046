import type { Pool } from 'pg';
import { sqlState } from './sql-state.js';

const DAY_MS = 86_400_000;
/** Tables partitioned by day. */
export const PARTITIONED_TABLES = ['scan', 'sample'] as const;

/** `20261130` for the UTC day holding `ms`. */
export function dayKey(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** Start of the UTC day a partition name's key stands for, in ms. */
export function dayStart(key: string): number {
  return Date.parse(`${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}T00:00:00Z`);
}

/**
 * Daily range partitions of `scan` and `sample`: which days exist, creating missing ones before
 * a write needs them, and dropping whole days for retention (DETACH + DROP: no bulk DELETE, no
 * VACUUM debt, milliseconds whatever the size).
 */
export class DailyPartitions {
  readonly #pool: Pool;
  readonly #known = new Set<string>();

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Reads the partitions that exist (created by this or another gateway). */
  async load(): Promise<void> {
    for (const { key } of await this.list()) this.#known.add(key);
  }

  /** Partitions of both tables, by day key. */
  async list(): Promise<Array<{ table: string; name: string; key: string }>> {
    const { rows } = await this.#pool.query<{ name: string; parent: string }>(
      `SELECT c.relname AS name, p.relname AS parent
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = current_schema() AND p.relname = ANY($1::text[])`,
      [[...PARTITIONED_TABLES]],
    );
    return rows
      .map((r) => ({ table: r.parent, name: r.name, key: /_p(\d{8})$/u.exec(r.name)?.[1] ?? '' }))
      .filter((r) => r.key !== '');
  }

  /** Creates the partitions for the days of these times (and is quick when they exist). */
  async ensure(times: Iterable<number>): Promise<void> {
    const missing = new Set<string>();
    for (const ms of times) {
      const key = dayKey(ms);
      if (!this.#known.has(key)) missing.add(key);
    }
    for (const key of missing) {
      const from = new Date(dayStart(key)).toISOString();
      const to = new Date(dayStart(key) + DAY_MS).toISOString();
      for (const table of PARTITIONED_TABLES) {
        try {
          await this.#pool.query(
            `CREATE TABLE IF NOT EXISTS ${table}_p${key} PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}')`,
          );
        } catch (error) {
          // Another gateway created it between our check and CREATE: that is the outcome we wanted.
          const code = sqlState(error);
          if (code !== '42P07' && code !== '23505') throw error;
        }
      }
      this.#known.add(key);
    }
  }

  /** Drops every day that ends at or before `cutoff`; returns how many partitions went. */
  async dropBefore(cutoff: number): Promise<number> {
    let dropped = 0;
    for (const p of await this.list()) {
      if (dayStart(p.key) + DAY_MS > cutoff) continue;
      await this.#pool.query(`ALTER TABLE ${p.table} DETACH PARTITION ${p.name}`);
      await this.#pool.query(`DROP TABLE ${p.name}`);
      this.#known.delete(p.key);
      dropped++;
    }
    return dropped;
  }
}
