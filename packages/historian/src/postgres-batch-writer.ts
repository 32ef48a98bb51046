import type pg from 'pg';
import type { MachineReference } from './change-filter.js';
import type { WriteResult } from './historian-store.js';
import {
  planWrites,
  type MachineState,
  type NormalizedScan,
  type WritePlan,
} from './plan-writes.js';
import { sqlState } from './sql-state.js';
import type { HistorianTag } from './tag-catalog.js';

/** What the writer knows of a machine row after its last committed batch. */
interface CachedMachine {
  readonly id: number;
  /** `machine.version` after that batch: every write of the reference bumps it. */
  readonly version: number;
  readonly lastTs: number | null;
  readonly reference: MachineReference;
}

// Raised by historian_batch_check (migration 004) when a batch's assumptions did not hold.
const CONFLICT = 'historian batch conflict';
const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';
/** Tries of the locked path when PostgreSQL chose its transaction to break a deadlock. */
const LOCKED_ATTEMPTS = 3;

const isDeadlock = (error: unknown) => sqlState(error) === DEADLOCK_DETECTED;
// Machines remembered for the one-statement path; a machine beyond it takes the locked path.
const MAX_CACHED = 20_000;

/**
 * Writes batches of scans into PostgreSQL. Round trips are what a batch costs here (each waits
 * for the server, and on a busy machine for the scheduler), so the common case is **one
 * statement**: the scans, their samples and the machine rows together, planned against the
 * machine rows this writer committed last (deadband reference, newest time, `version`). The
 * statement checks its assumptions itself — every scan new (no redelivery), every machine row
 * still at the version planned against (no other gateway wrote it since) — and fails as a
 * whole if one does not hold; the batch then takes the **locked path**: lock the machine rows in
 * id order, insert the scans, plan only the new ones against the rows as locked, write, commit
 * (five round trips; also for machines not seen before). Either way a batch is one transaction.
 * The one statement inserts samples **without** `ON CONFLICT DO NOTHING`: measured in PostgreSQL,
 * that clause (a speculative insertion: an index probe before and a confirmation after every row)
 * made the partitioned sample insert 1.8× as slow as a plain one, and it is ~85 % of the
 * statement. A sample can already be there only for a late scan at a time already stored (other
 * sequence); its unique violation rolls the statement back and the locked path, which keeps the
 * clause, stores the batch.
 */
export function createPostgresBatchWriter(
  pool: pg.Pool,
  catalog: readonly HistorianTag[],
  tagIds: ReadonlyMap<string, number>,
  heartbeatMs: number,
): (scans: readonly NormalizedScan[], received: number) => Promise<WriteResult> {
  const cache = new Map<string, CachedMachine>();
  const remember = (machineId: string, entry: CachedMachine) => {
    cache.delete(machineId);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(machineId, entry);
  };
  const afterCommit = (plan: WritePlan, before: ReadonlyMap<string, CachedMachine>) => {
    for (const m of plan.machines) {
      const old = before.get(m.machineId)!;
      remember(m.machineId, {
        id: old.id,
        version: old.version + 1,
        // planWrites takes a scan as the newest only if it is not older than the row's.
        lastTs: m.latest?.ts ?? old.lastTs,
        reference: m.reference,
      });
    }
  };
  const statesOf = (rows: ReadonlyMap<string, CachedMachine>) =>
    new Map<string, MachineState>(
      [...rows].map(([id, m]) => [id, { lastTs: m.lastTs, reference: m.reference }]),
    );

  /**
   * Creates (if new) and reads, unlocked, the rows of machines this writer has not cached, in one
   * round trip, so that a machine's first batch takes the one-statement path too: the statement's
   * version check catches another gateway writing the row in between (the batch then takes the
   * locked path). Before, every batch with an unseen machine took the five round trips of the
   * locked path (25 % of the batches of `historian:bench`'s 5,000-machine ingest).
   */
  const prime = async (names: readonly string[]): Promise<void> => {
    const { rows } = await pool.query<MachineRow>(
      `WITH ins AS (
         INSERT INTO machine (machine_id) SELECT unnest($1::text[])
         ON CONFLICT (machine_id) DO NOTHING
         RETURNING id, machine_id, version, last_ts, reference
       )
       SELECT id, machine_id, version, ${EPOCH_MS('last_ts')} AS last_ts, reference FROM ins
       UNION ALL
       SELECT id, machine_id, version, ${EPOCH_MS('last_ts')}, reference
         FROM machine WHERE machine_id = ANY($1::text[])`,
      [names],
    );
    // A row another gateway committed after this statement's snapshot is in neither part: its
    // machine stays uncached and the batch takes the locked path.
    for (const m of rows) remember(m.machine_id, cachedOf(m));
  };

  const oneStatement = async (
    scans: readonly NormalizedScan[],
    received: number,
  ): Promise<WriteResult | undefined> => {
    const unseen = new Set<string>();
    for (const s of scans) if (!cache.has(s.machineId)) unseen.add(s.machineId);
    if (unseen.size > 0) await prime([...unseen]);
    const rows = new Map<string, CachedMachine>();
    for (const s of scans) {
      const cached = cache.get(s.machineId);
      if (cached === undefined) return undefined;
      rows.set(s.machineId, cached);
    }
    const plan = planWrites(scans, statesOf(rows), catalog, heartbeatMs);
    try {
      await pool.query(
        `WITH ins AS (
           INSERT INTO scan (machine, ts, seq, received)
           SELECT m, to_timestamp(t / 1000), s, to_timestamp($4::float8 / 1000)
             FROM unnest($1::int[], $2::float8[], $3::int8[]) AS u(m, t, s)
           ON CONFLICT DO NOTHING
           RETURNING 1
         ), upd AS (
           ${UPDATE_MACHINES('$9', '$4', 'AND m.version = u.version')}
           RETURNING 1
         ), smp AS (
           ${INSERT_SAMPLES('$5', false)}
         )
         SELECT historian_batch_check((SELECT count(*) FROM ins), $16, (SELECT count(*) FROM upd), $17)`,
        [
          scans.map((s) => rows.get(s.machineId)!.id),
          scans.map((s) => s.ts),
          scans.map((s) => s.sequence),
          received,
          ...sampleParams(plan, (id) => rows.get(id)!.id, tagIds),
          ...machineParams(plan, (id) => rows.get(id)!.id),
          plan.machines.map((m) => rows.get(m.machineId)!.version),
          scans.length,
          plan.machines.length,
        ],
      );
    } catch (error) {
      // A sample already stored (two scans of a machine with one time, late): nothing committed,
      // the locked path stores what is new.
      if (sqlState(error) === UNIQUE_VIOLATION) return undefined;
      // The one statement inserts scans before it updates the machine rows, the locked path locks
      // the rows first: another gateway's locked batch on the same scans can close a cycle, and
      // PostgreSQL rolls one side back. Nothing was committed; the locked path stores the batch.
      if (!(isDeadlock(error) || (error instanceof Error && error.message === CONFLICT)))
        throw error;
      for (const id of rows.keys()) cache.delete(id);
      return undefined;
    }
    afterCommit(plan, rows);
    return { stored: scans.length, duplicates: 0, samples: plan.samples.length };
  };

  const locked = async (
    scans: readonly NormalizedScan[],
    received: number,
  ): Promise<WriteResult> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const names = [...new Set(scans.map((s) => s.machineId))].sort();
      await client.query(
        'INSERT INTO machine (machine_id) SELECT unnest($1::text[]) ON CONFLICT (machine_id) DO NOTHING',
        [names],
      );
      // Locked in id order: two gateways with overlapping batches wait, never deadlock, and
      // each sees the other's deadband reference.
      const { rows: machines } = await client.query<MachineRow>(
        `SELECT id, machine_id, version, ${EPOCH_MS('last_ts')} AS last_ts, reference
           FROM machine WHERE machine_id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        [names],
      );
      const rows = new Map<string, CachedMachine>(machines.map((m) => [m.machine_id, cachedOf(m)]));
      const idOf = (machineId: string) => rows.get(machineId)!.id;
      const { rows: inserted } = await client.query<{ machine: number; ts: number; seq: string }>(
        `INSERT INTO scan (machine, ts, seq, received)
         SELECT m, to_timestamp(t / 1000), s, to_timestamp($4::float8 / 1000)
           FROM unnest($1::int[], $2::float8[], $3::int8[]) AS u(m, t, s)
         ON CONFLICT DO NOTHING
         RETURNING machine, (extract(epoch FROM ts) * 1000)::float8 AS ts, seq`,
        [
          scans.map((s) => idOf(s.machineId)),
          scans.map((s) => s.ts),
          scans.map((s) => s.sequence),
          received,
        ],
      );
      const freshKeys = new Set(inserted.map((r) => `${r.machine}:${Math.round(r.ts)}:${r.seq}`));
      const fresh = scans.filter((s) =>
        freshKeys.has(`${idOf(s.machineId)}:${s.ts}:${s.sequence}`),
      );
      const plan = planWrites(fresh, statesOf(rows), catalog, heartbeatMs);
      if (plan.machines.length > 0) {
        // One statement (a data-modifying CTE) for the samples and the machine rows.
        await client.query(
          `WITH smp AS (${INSERT_SAMPLES('$1', true)})
           ${UPDATE_MACHINES('$5', '$11', '')}`,
          [...sampleParams(plan, idOf, tagIds), ...machineParams(plan, idOf), received],
        );
      }
      await client.query('COMMIT');
      afterCommit(plan, rows);
      return {
        stored: fresh.length,
        duplicates: scans.length - fresh.length,
        samples: plan.samples.length,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  return async (scans, received) => {
    const fast = await oneStatement(scans, received);
    if (fast !== undefined) return fast;
    for (let attempt = 1; ; attempt++) {
      try {
        return await locked(scans, received);
      } catch (error) {
        // Rolled back whole by PostgreSQL to break a cycle with another writer: safe to run again.
        if (!isDeadlock(error) || attempt === LOCKED_ATTEMPTS) throw error;
      }
    }
  };
}

/** A machine row as the writer reads it (`last_ts` in epoch ms). */
interface MachineRow {
  id: number;
  machine_id: string;
  version: string;
  last_ts: number | null;
  reference: MachineReference | null;
}

const EPOCH_MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

const cachedOf = (m: MachineRow): CachedMachine => ({
  id: m.id,
  version: Number(m.version),
  lastTs: m.last_ts === null ? null : Math.round(m.last_ts),
  reference: m.reference ?? {},
});

/**
 * INSERT of the planned samples; parameters `$n…$n+3` from {@link sampleParams}. `onConflict`
 * skips samples already stored; without it a stored one fails the statement (unique violation).
 */
function INSERT_SAMPLES(first: string, onConflict: boolean): string {
  const n = Number(first.slice(1));
  return `INSERT INTO sample (machine, tag, ts, value)
          SELECT m, g, to_timestamp(t / 1000), v
            FROM unnest($${n}::int[], $${n + 1}::int2[], $${n + 2}::float8[], $${n + 3}::float8[]) AS u(m, g, t, v)
          ${onConflict ? 'ON CONFLICT DO NOTHING' : ''}`;
}

/**
 * UPDATE of the machine rows (newest scan, reference, version + 1); parameters `$n…$n+5` from
 * {@link machineParams}, `$n+6` the versions planned against when `where` checks them.
 */
function UPDATE_MACHINES(first: string, received: string, where: string): string {
  const n = Number(first.slice(1));
  const versions = where === '' ? '' : `, $${n + 6}::int8[]`;
  return `UPDATE machine m SET
            reference = u.ref,
            version = m.version + 1,
            last_ts = CASE WHEN u.has THEN to_timestamp(u.t / 1000) ELSE m.last_ts END,
            last_seq = CASE WHEN u.has THEN u.s ELSE m.last_seq END,
            latest = CASE WHEN u.has THEN u.latest ELSE m.latest END,
            last_received = CASE WHEN u.has THEN to_timestamp(${received}::float8 / 1000) ELSE m.last_received END
           FROM unnest($${n}::int[], $${n + 1}::jsonb[], $${n + 2}::bool[], $${n + 3}::float8[], $${n + 4}::int8[], $${n + 5}::jsonb[]${versions})
             AS u(id, ref, has, t, s, latest${where === '' ? '' : ', version'})
          WHERE m.id = u.id ${where}`;
}

function sampleParams(
  plan: WritePlan,
  idOf: (machineId: string) => number,
  tagIds: ReadonlyMap<string, number>,
): unknown[] {
  return [
    plan.samples.map((s) => idOf(s.machineId)),
    plan.samples.map((s) => tagIds.get(s.tag)!),
    plan.samples.map((s) => s.ts),
    plan.samples.map((s) => s.value),
  ];
}

function machineParams(plan: WritePlan, idOf: (machineId: string) => number): unknown[] {
  return [
    plan.machines.map((m) => idOf(m.machineId)),
    plan.machines.map((m) => JSON.stringify(m.reference)),
    plan.machines.map((m) => m.latest !== undefined),
    plan.machines.map((m) => m.latest?.ts ?? 0),
    plan.machines.map((m) => m.latest?.sequence ?? 0),
    plan.machines.map((m) => (m.latest ? JSON.stringify(m.latest.tags) : null)),
  ];
}
