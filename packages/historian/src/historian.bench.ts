// Historian benchmarks (issue 11): ingest vs raw insert of the same rows by the same driver, 24 h
// query downsampled to 1,000 points vs fetching the raw rows, bytes per scan and what the
// deadband saved — SQLite and PostgreSQL in the same run. `npx nx run historian:bench`.
// Data: one simulated filler (@ot-mqtt/plc-sim, seed 1) at one scan per 2 s; for the fleet rows,
// the same day's scans spread over many machine ids.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createBottleFiller } from '@ot-mqtt/plc-sim';
import { openHistorian, type HistorianStore, type ScanRecord } from './index.js';
import { flattenTags } from './tag-catalog.js';
import { createTestDatabase, postgresAvailable } from './test-postgres.test-helper.js';

const DAY_SCANS = Number(process.env['BENCH_DAY_SCANS'] ?? 43_200);
const INGEST_SCANS = Number(process.env['BENCH_INGEST_SCANS'] ?? 20_000);
const T0 = Date.parse('2026-11-29T00:00:00.000Z');

function simulatedDay(machineId: string, count: number): ScanRecord[] {
  const filler = createBottleFiller({ seed: 1, machineId });
  filler.start();
  const out: ScanRecord[] = [];
  for (let n = 0; n < count; n++) {
    filler.step(2_000);
    out.push({ machineId, sequence: n, timestamp: T0 + n * 2_000, tags: filler.snapshot() });
  }
  return out;
}

/** Fleet-shaped batches: scan n of the day goes to machine n mod machines. */
function fleetScans(day: ScanRecord[], machines: number, count: number): ScanRecord[] {
  return day.slice(0, count).map((s, n) => ({
    ...s,
    machineId: `filler-${n % machines}`,
    sequence: Math.floor(n / machines),
  }));
}

const time = async (f: () => Promise<unknown> | unknown): Promise<number> => {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function writeAll(
  store: HistorianStore,
  scans: ScanRecord[],
  batch: number,
): Promise<number> {
  return time(async () => {
    for (let i = 0; i < scans.length; i += batch) await store.writeScans(scans.slice(i, i + batch));
  });
}

const rows: string[] = [];
const report = (line: string) => {
  rows.push(line);
  console.log(line);
};

async function sqliteBench(day: ScanRecord[]) {
  const dir = mkdtempSync(join(tmpdir(), 'historian-bench-'));
  try {
    // Ingest: the store (dedup, deadband, machine rows) vs the same driver inserting the same
    // sample rows (every tag of every scan) with prepared statements, same batch sizes.
    const fleet = fleetScans(day, 5_000, INGEST_SCANS);
    for (const batch of [4, 100]) {
      const store = await openHistorian(join(dir, `ingest-${batch}.sqlite`));
      const ms = await writeAll(store, fleet, batch);
      await store.close();
      const raw = new Database(join(dir, `raw-${batch}.sqlite`));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.exec(
        'CREATE TABLE sample (machine INTEGER, tag INTEGER, ts INTEGER, value REAL, PRIMARY KEY (machine, tag, ts)) WITHOUT ROWID',
      );
      const ins = raw.prepare('INSERT INTO sample VALUES (?, ?, ?, ?)');
      const tx = raw.transaction((part: ScanRecord[]) => {
        for (const s of part) {
          const m = Number(s.machineId.slice(7));
          let t = 0;
          for (const v of Object.values(flattenTags(s.tags)))
            ins.run(m, t++, s.timestamp as number, typeof v === 'boolean' ? Number(v) : v);
        }
      });
      const rawMs = await time(() => {
        for (let i = 0; i < fleet.length; i += batch) tx(fleet.slice(i, i + batch));
      });
      raw.close();
      report(
        `| SQLite | ingest, ${batch} scans/transaction | ${rate(fleet.length, ms)} scans/s | raw insert of all 30 tags/scan: ${rate(fleet.length, rawMs)} scans/s | ${Math.round((100 * rawMs) / ms)} % |`,
      );
    }
    // Storage and deadband: one machine-day stored three ways.
    const variants: Array<[string, { deadbandPercent?: number; heartbeatMs?: number }]> = [
      ['every tag of every scan (heartbeat 1 ms)', { deadbandPercent: 0, heartbeatMs: 1 }],
      ['on any change (deadband 0)', { deadbandPercent: 0 }],
      ['on change, deadband 0.5 % + 60 s heartbeat (default)', {}],
    ];
    for (const [name, options] of variants) {
      const file = join(dir, `day-${name.length}.sqlite`);
      const store = await openHistorian(file, options);
      await writeAll(store, day, 100);
      await store.close();
      const db = new Database(file);
      const samples = (db.prepare('SELECT count(*) AS n FROM sample').get() as { n: number }).n;
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.exec('VACUUM');
      db.close();
      const bytes = statSync(file).size;
      report(
        `| SQLite | 1 machine-day (${day.length} scans), ${name} | ${(bytes / day.length).toFixed(0)} B/scan | ${samples} samples = ${((100 * samples) / (day.length * 30)).toFixed(1)} % of 30 × scans | ${(bytes / 1048576).toFixed(1)} MiB/day |`,
      );
      if (name.startsWith('on change, deadband')) await queryBench('SQLite', file, day);
      if (name.startsWith('every tag')) await queryBench('SQLite', file, day, 'every scan stored');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function queryBench(
  engine: string,
  location: string,
  day: ScanRecord[],
  note = 'default storage',
) {
  const store = await openHistorian(location);
  const range = { from: T0, to: T0 + day.length * 2_000 };
  const q = () =>
    store.history({ machineId: 'filler-01', tags: ['FillLevel'], maxPoints: 1_000, ...range });
  await q();
  const downsampled = median(
    await Promise.all([0, 1, 2, 3, 4].map(() => 0)).then(async () => {
      const xs: number[] = [];
      for (let i = 0; i < 5; i++) xs.push(await time(q));
      return xs;
    }),
  );
  // Baseline: the same range's raw rows through the same driver.
  let rawMs: number;
  let rowCount = 0;
  if (engine === 'SQLite') {
    const db = new Database(location, { readonly: true });
    const st = db.prepare(
      "SELECT ts, value FROM sample WHERE machine = 1 AND tag = (SELECT id FROM tag WHERE name = 'FillLevel') AND ts >= ? AND ts < ?",
    );
    const xs: number[] = [];
    for (let i = 0; i < 5; i++)
      xs.push(await time(() => (rowCount = st.all(range.from, range.to).length)));
    rawMs = median(xs);
    db.close();
  } else {
    const c = new pg.Client({ connectionString: location });
    await c.connect();
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      xs.push(
        await time(async () => {
          const r = await c.query(
            "SELECT ts, value FROM sample s JOIN tag t ON t.id = s.tag WHERE t.name = 'FillLevel' AND ts >= to_timestamp($1::float8/1000) AND ts < to_timestamp($2::float8/1000)",
            [range.from, range.to],
          );
          rowCount = r.rowCount ?? 0;
        }),
      );
    }
    rawMs = median(xs);
    await c.end();
  }
  await store.close();
  report(
    `| ${engine} | 24 h of FillLevel (${note}) → 1,000 points | ${downsampled.toFixed(1)} ms (median of 5) | fetching its ${rowCount} raw rows: ${rawMs.toFixed(1)} ms | — |`,
  );
}

async function postgresBench(day: ScanRecord[]) {
  if (!(await postgresAvailable())) {
    report('| PostgreSQL | not reachable on 127.0.0.1:5432: skipped | | | |');
    return;
  }
  const fleet = fleetScans(day, 5_000, INGEST_SCANS);
  for (const batch of [4, 100]) {
    const db = await createTestDatabase('historian_bench');
    try {
      const store = await openHistorian(db.url);
      const ms = await writeAll(store, fleet, batch);
      await store.close();
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      await c.query(
        'CREATE TABLE raw_sample (machine int, tag int2, ts timestamptz, value float8, PRIMARY KEY (machine, tag, ts))',
      );
      const rawMs = await time(async () => {
        for (let i = 0; i < fleet.length; i += batch) {
          const part = fleet.slice(i, i + batch);
          const m: number[] = [],
            g: number[] = [],
            t: number[] = [],
            v: number[] = [];
          for (const s of part) {
            let k = 0;
            for (const x of Object.values(flattenTags(s.tags))) {
              m.push(Number(s.machineId.slice(7)));
              g.push(k++);
              t.push(s.timestamp as number);
              v.push(typeof x === 'boolean' ? Number(x) : x);
            }
          }
          await c.query(
            'INSERT INTO raw_sample SELECT a, b, to_timestamp(c / 1000), d FROM unnest($1::int[], $2::int2[], $3::float8[], $4::float8[]) AS u(a, b, c, d)',
            [m, g, t, v],
          );
        }
      });
      await c.end();
      report(
        `| PostgreSQL | ingest, ${batch} scans/transaction | ${rate(fleet.length, ms)} scans/s | raw unnest insert of all 30 tags/scan: ${rate(fleet.length, rawMs)} scans/s | ${Math.round((100 * rawMs) / ms)} % |`,
      );
    } finally {
      await db.drop();
    }
  }
  const db = await createTestDatabase('historian_bench');
  try {
    const store = await openHistorian(db.url);
    await writeAll(store, day, 100);
    await store.close();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('VACUUM ANALYZE');
    const size = await c.query<{ bytes: string; samples: string }>(
      `SELECT (SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent IN ('scan'::regclass, 'sample'::regclass))::text AS bytes,
              (SELECT count(*) FROM sample)::text AS samples`,
    );
    await c.end();
    const bytes = Number(size.rows[0]!.bytes);
    const samples = Number(size.rows[0]!.samples);
    report(
      `| PostgreSQL | 1 machine-day (${day.length} scans), on change, deadband 0.5 % + 60 s heartbeat | ${(bytes / day.length).toFixed(0)} B/scan | ${samples} samples = ${((100 * samples) / (day.length * 30)).toFixed(1)} % of 30 × scans | ${(bytes / 1048576).toFixed(1)} MiB/day (heap + indexes) |`,
    );
    await queryBench('PostgreSQL', db.url, day);
  } finally {
    await db.drop();
  }
}

const day = simulatedDay('filler-01', DAY_SCANS);
console.log(
  `historian bench, ${new Date().toISOString()}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('| engine | what | ours | baseline (same run) | ours / baseline |');
console.log('| --- | --- | --- | --- | --- |');
const only = process.env['BENCH_ONLY']; // 'sqlite' or 'postgres' to run one engine
if (only !== 'postgres') await sqliteBench(day);
if (only !== 'sqlite') await postgresBench(day);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
